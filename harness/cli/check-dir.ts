// `lockstorm check DIR...`: the `check` command hands results folders over to here. Each folder is
// re-checked cell by cell against its own config's expectations; exit codes as for `run`
// (0 all met, 1 one broken, 2 a cell or folder could not be checked, or the folder holds cells
// its config does not list).
import { stat } from 'node:fs/promises';
import { knownNames } from '../config/known.ts';
import { escapeVisible } from '../report/escape.ts';
import { UserError } from '../core/errors.ts';

/** Which of `check`'s flags the user gave; only some of them mean anything for a results folder. */
export interface CheckDirFlags {
  model: boolean;
  format: boolean;
  html: boolean;
  json: boolean;
  timeout: boolean;
}

/** Why a flag does not apply to a results folder: its config says how each cell is read and checked. */
const NOT_FOR_FOLDERS: Record<keyof CheckDirFlags, string> = {
  model: '--model: does not apply to a results folder (its cells are checked with the lock model)',
  format: '--format: does not apply to a results folder (its histories are lockstorm JSONL)',
  html: '--html: does not apply to a results folder (use `lockstorm report DIR` for its report.html)',
  json: '--json: does not apply to a results folder (its verdicts are in DIR/results.json after `lockstorm report DIR`)',
  timeout: "--timeout: does not apply to a results folder (its config's check_timeout_s sets the budget)",
};

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The exit code when every argument is a results folder; null when none is (files are checked one by one). */
export async function checkResultsDirs(paths: readonly string[], flags?: CheckDirFlags): Promise<number | null> {
  const dirs = await Promise.all(paths.map(isDirectory));
  if (!dirs.some(Boolean)) return null;
  if (!dirs.every(Boolean)) throw new UserError('check: give either history files or results folders, not both');
  for (const flag of Object.keys(NOT_FOR_FOLDERS) as (keyof CheckDirFlags)[]) {
    if (flags?.[flag]) throw new UserError(NOT_FOR_FOLDERS[flag]);
  }
  const { checkResultsDir } = await import('../report/check-dir.ts');
  const { unlistedCells } = await import('../report/rebuild.ts');
  let code = 0;
  for (const dir of paths) {
    if (paths.length > 1) console.log(`${escapeVisible(dir)}:`);
    // Before the (long) re-check, so a user sees at once what will not be judged.
    const unlisted = await unlistedCells(dir, knownNames());
    for (const line of unlisted) console.error(`lockstorm: ${escapeVisible(line)}`);
    code = Math.max(code, await checkResultsDir(dir, knownNames(), (line) => console.log(escapeVisible(line))));
    if (unlisted.length) code = Math.max(code, 2);
  }
  return code;
}
