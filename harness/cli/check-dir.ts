// `lockstorm check DIR...`: B's `check` command hands results folders over to here. Each folder is
// re-checked cell by cell against its own config's expectations; exit codes as for `run`
// (0 all met, 1 one broken, 2 a cell or folder could not be checked).
import { stat } from 'node:fs/promises';
import { knownNames } from '../config/known.ts';
import { UserError } from './errors.ts';

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The exit code when every argument is a results folder; null when none is (files are B's). */
export async function checkResultsDirs(paths: readonly string[]): Promise<number | null> {
  const dirs = await Promise.all(paths.map(isDirectory));
  if (!dirs.some(Boolean)) return null;
  if (!dirs.every(Boolean)) throw new UserError('check: give either history files or results folders, not both');
  const { checkResultsDir } = await import('../report/check-dir.ts');
  let code = 0;
  for (const dir of paths) {
    if (paths.length > 1) console.log(`${dir}:`);
    code = Math.max(code, await checkResultsDir(dir, knownNames(), (line) => console.log(line)));
  }
  return code;
}
