// A results folder → its plan and every cell re-checked from the recorded histories. Used by
// `lockstorm report DIR` (which rewrites the outputs) and `lockstorm check DIR` (which only judges).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { planFromText, type Known, type LoadedPlan } from '../config/index.ts';
import { checkCell } from './check-cell.ts';
import type { CellReportInput } from './html.ts';
import { collectResults } from './write.ts';
import type { RunResults } from './results.ts';

export const CONFIG_COPY = 'config.yaml';

export async function isResultsDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function loadRunDir(dir: string, known: Known): Promise<LoadedPlan> {
  const path = join(dir, CONFIG_COPY);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${dir}: not a lockstorm results folder (no ${CONFIG_COPY})`);
  }
  return planFromText(text, path, known);
}

/**
 * One line per entry of DIR/cells/ that the folder's config does not list: nothing re-checks it,
 * so a verdict for the folder would silently leave it out.
 */
export async function unlistedCells(dir: string, known: Known): Promise<string[]> {
  const loaded = await loadRunDir(dir, known);
  const listed = new Set(loaded.plan.cells.map((c) => c.params.name));
  const cells = join(dir, 'cells');
  const entries = await readdir(cells, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !listed.has(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => `${join(cells, name)}: ${CONFIG_COPY} lists no cell of that name; it was not checked`);
}

export async function recheckRunDir(
  dir: string,
  known: Known,
): Promise<{ loaded: LoadedPlan; results: RunResults; inputs: CellReportInput[] }> {
  const loaded = await loadRunDir(dir, known);
  const inputs: CellReportInput[] = [];
  for (const cell of loaded.plan.cells) inputs.push(await checkCell(dir, cell, { timeoutMs: loaded.config.check_timeout_s * 1000, minOps: loaded.config.min_ops }));
  return { loaded, results: collectResults(loaded.plan.name, basename(dir), inputs), inputs };
}
