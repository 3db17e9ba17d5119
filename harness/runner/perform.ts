// One operation against a recipe, recorded: the invocation is appended before any statement is
// sent, the completion after the last reply (or error) arrives.

import type { CompletionEvent, InvokeEvent, LockOp, ReadValue } from '../history/events.ts';
import type { HistoryWriter, Unstamped } from '../history/writer.ts';
import type { DriverExecutor } from '../client/executor.ts';
import { newestWriteTime } from '../client/timestamps.ts';
import type { Recipe, RecipeSettings } from '../../workloads/recipe.ts';

export interface Performer {
  process: number;
  node: string;
  executor: DriverExecutor;
}

type Result =
  | { type: 'ok'; value?: ReadValue }
  | { type: 'fail'; value?: ReadValue; error?: string }
  | { type: 'info'; error: string };

async function run(recipe: Recipe, x: DriverExecutor, op: LockOp, s: RecipeSettings): Promise<Result> {
  x.begin();
  try {
    switch (op.f) {
      case 'acquire': {
        const r = await recipe.acquire(x, op.key, op.owner, s);
        return r.acquired ? { type: 'ok' } : { type: 'fail', value: r.saw };
      }
      case 'release': {
        if (x.tiesReleases) {
          const stamp = newestWriteTime((await recipe.read(x, op.key, s)).row);
          if (stamp !== null) x.pinStamp(stamp);
        }
        const r = await recipe.release(x, op.key, op.owner, s);
        return r.released ? { type: 'ok' } : { type: 'fail', value: r.saw };
      }
      case 'read':
        return { type: 'ok', value: await recipe.read(x, op.key, s) };
    }
  } catch (err) {
    return x.outcomeOf(err);
  }
}

export async function perform(
  w: HistoryWriter,
  recipe: Recipe,
  s: RecipeSettings,
  who: Performer,
  op: LockOp,
  meta: { cl: string; final?: boolean },
): Promise<CompletionEvent> {
  const stamp = { process: who.process, node: who.node };
  w.append<InvokeEvent>({ type: 'invoke', ...stamp, ...op, cl: meta.cl, ...(meta.final ? { final: true } : {}) });
  const r = await run(recipe, who.executor, op, s);
  return w.append<CompletionEvent>({ ...stamp, ...op, ...r } as Unstamped<CompletionEvent>);
}
