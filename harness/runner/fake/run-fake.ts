// One cell run whole on FakeExecutors and a virtual clock, its history read back: how the fake
// tests exercise a recipe and the runner loop without Docker.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLockstormFile } from '../../../checkers/readers/lockstorm.ts';
import type { HistoryEvent } from '../../../history/index.ts';
import type { CellParams } from '../../core/cell.ts';
import type { ResolvedRecipe } from '../../config/recipes.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { runCell, type CellDeps } from '../cell.ts';
import { FakeExecutors } from './fake-executor.ts';
import type { FaultPlan } from './fake-executor.ts';
import { VirtualClock } from './virtual-clock.ts';

/** `recipe`: the cell's recipe as a config would resolve it; default the built-in named by params.recipe. */
export async function runFakeCell(params: CellParams, faults?: FaultPlan, recipe?: ResolvedRecipe): Promise<HistoryEvent[]> {
  const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-fake-')), 'history.jsonl');
  const clock = new VirtualClock();
  await runCell({ executors: new FakeExecutors(clock, params, faults), openHistory: (meta) => HistoryWriter.create(path, meta), nemesis: null, clock }, params, recipe ? { recipe } : {});
  return readLockstormFile(path);
}

/**
 * A history at `path` whose event times follow `clock` (from its first nowMs on), so what the
 * checkers judge by time (TTLs, settles) is judged on the virtual timeline.
 */
export function virtualTimeHistory(path: string, clock: VirtualClock): CellDeps['openHistory'] {
  const startMs = clock.nowMs();
  return (meta) => {
    const w = HistoryWriter.create(path, meta);
    const t0 = w.now();
    return Object.assign(w, { now: () => t0 + Math.round((clock.nowMs() - startMs) * 1e6) });
  };
}
