// `lockstorm check DIR`: re-check every recorded history of a results folder and say, per cell,
// what the checkers find now. Writes nothing (`lockstorm report DIR` rewrites the outputs).
import { describeOutcome } from './outcome.ts';
import { replicaRowsLines } from './replica-rows-view.ts';
import type { Known } from '../config/index.ts';
import { recheckRunDir } from './rebuild.ts';
import { exitCodeFor } from './results.ts';

/** Exit codes as for `lockstorm run`: 0 all expectations met, 1 one broken, 2 a cell could not be checked. */
export async function checkResultsDir(dir: string, known: Known, out: (line: string) => void): Promise<0 | 1 | 2> {
  const { results } = await recheckRunDir(dir, known);
  for (const cell of results.cells) {
    out(`${cell.name}: ${describeOutcome(cell)}`);
    for (const line of replicaRowsLines(cell.anomalies)) out(`  ${line}`);
  }
  const met = results.cells.filter((c) => c.met).length;
  out(`${met} of ${results.cells.length} expectations met`);
  return exitCodeFor(results);
}
