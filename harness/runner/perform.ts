// One operation against a recipe, recorded: the invocation is appended before any statement is
// sent, the completion after the last reply (or error) arrives, with the levels the executor
// really sent.

import type { CompletionEvent, InvokeEvent, LockOp } from '../../history/index.ts';
import type { HistoryWriter, Unstamped } from '../history/writer.ts';
import type { OperationExecutor, OperationLevels, OperationResult } from '../client/operation-executor.ts';
import type { Recipe, RecipeSettings } from '../../workloads/recipe.ts';

export interface Performer {
  process: number;
  node: string;
  executor: OperationExecutor;
}

type Result = OperationResult;

async function run(recipe: Recipe, x: OperationExecutor, op: LockOp, s: RecipeSettings, levels: OperationLevels): Promise<Result> {
  x.begin(levels);
  try {
    if (x.operation) return await x.operation(op, levels);
    switch (op.f) {
      case 'acquire': {
        const r = await recipe.acquire(x, op.key, op.owner, s);
        return r.acquired ? { type: 'ok' } : { type: 'fail', value: r.saw };
      }
      case 'release': {
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

export interface PerformOptions {
  /** Levels this operation uses instead of the cell's. */
  levels?: OperationLevels;
  /** A final read: its `invoke` names the level it is forced to (the only level known before sending). */
  final?: boolean;
}

export async function perform(
  w: HistoryWriter,
  recipe: Recipe,
  s: RecipeSettings,
  who: Performer,
  op: LockOp,
  opts: PerformOptions = {},
): Promise<CompletionEvent> {
  const levels = opts.levels ?? {};
  const stamp = { process: who.process, node: who.node };
  const final = opts.final ? { cl: levels.readCl, final: true } : {};
  w.append<InvokeEvent>({ type: 'invoke', ...stamp, ...op, ...final });
  const r = await run(recipe, who.executor, op, s, levels);
  const cl = who.executor.levelsSent();
  const statements = who.executor.statementsSent();
  return w.append<CompletionEvent>({ ...stamp, ...op, ...r, ...(cl !== undefined ? { cl } : {}), ...(statements ? { statements } : {}) } as Unstamped<CompletionEvent>);
}
