// What a holder does with the record its lock guards, recorded as operations of their own
// (`guarded-read`, `guarded-write`; docs/history-format.md, "Guarded operations"): the critical
// section after each successful acquire, the record's creation when fencing is on, and the final
// reads of every record at ALL.

import type { CompletionEvent, GuardedOp, GuardedValue, InvokeEvent } from '../../history/index.ts';
import type { HistoryWriter, Unstamped } from '../history/writer.ts';
import type { OperationExecutor, OperationLevels } from '../client/operation-executor.ts';
import type { Recipe } from '../../workloads/recipe.ts';
import { guardedResource } from '../../workloads/guarded.ts';
import type { Performer } from './perform.ts';

type GuardedResult =
  | { type: 'ok'; value?: GuardedValue; token?: number }
  | { type: 'fail'; error: string }
  | { type: 'info'; error: string };

/** One guarded operation: invoke before the first statement, completion after the last reply. */
export async function performGuarded(
  w: HistoryWriter,
  who: Performer,
  op: GuardedOp,
  body: (x: OperationExecutor) => Promise<GuardedResult>,
  opts: { levels?: OperationLevels; final?: boolean } = {},
): Promise<CompletionEvent> {
  const x = who.executor;
  if (x.operation) throw new Error('the guarded resource is not supported for clients that run whole operations themselves');
  const stamp = { process: who.process, node: who.node };
  const final = opts.final ? { cl: opts.levels?.readCl, final: true } : {};
  w.append({ type: 'invoke', ...stamp, ...op, ...final } as Unstamped<InvokeEvent>);
  x.begin(opts.levels ?? {});
  let r: GuardedResult;
  try {
    r = await body(x);
  } catch (err) {
    r = x.outcomeOf(err);
  }
  const cl = x.levelsSent();
  const statements = x.statementsSent();
  return w.append({ ...stamp, ...op, ...r, ...(cl !== undefined ? { cl } : {}), ...(statements ? { statements } : {}) } as Unstamped<CompletionEvent>);
}

export interface CriticalSection {
  key: string;
  owner: string;
  /** Fencing on: the holder's token comes from the recipe (Recipe.fenceToken). */
  fencing: boolean;
  /** Where a client pause takes hold: between the read and the write. */
  checkpoint: () => Promise<void>;
}

/**
 * The holder reads the record's counter and writes it back plus one; with fencing it first
 * claims the record with its token, and writes only under it. Returns the last completion.
 */
export async function criticalSection(w: HistoryWriter, recipe: Recipe, who: Performer, s: CriticalSection): Promise<CompletionEvent> {
  const { key, owner } = s;
  let token: number | undefined;
  const read = await performGuarded(w, who, { f: 'guarded-read', key, owner }, async (x) => {
    if (s.fencing) {
      const t = await recipe.fenceToken!(x, key, owner);
      if (t === null) return { type: 'fail', error: 'no fencing token: the lock is no longer this owner\'s' };
      if (!(await guardedResource.claim(x, key, t))) return { type: 'fail', error: `fenced out: a token above ${t} has claimed the record` };
      token = t;
    }
    const value = await guardedResource.read(x, key);
    return { type: 'ok', value, ...(token !== undefined ? { token } : {}) };
  });
  if (read.type !== 'ok' || read.f !== 'guarded-read') return read;
  await s.checkpoint();
  const counter = (read.value.counter ?? 0) + 1;
  const fence = token !== undefined ? { token } : {};
  return performGuarded(w, who, { f: 'guarded-write', key, owner, counter, ...fence }, async (x) =>
    (await guardedResource.write(x, key, counter, token)) ? { type: 'ok' } : { type: 'fail', error: 'fenced out: a higher token has claimed the record' },
  );
}

const SEED_ATTEMPTS = 3;

/** Creates every key's record (counter 0, fence 0) before the workload; throws if one cannot be. */
export async function seedRecords(w: HistoryWriter, who: Performer, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    let done: CompletionEvent | null = null;
    for (let attempt = 1; attempt <= SEED_ATTEMPTS && done?.type !== 'ok'; attempt++) {
      done = await performGuarded(w, who, { f: 'guarded-write', key, counter: 0 }, async (x) => {
        await guardedResource.seed(x, key);
        return { type: 'ok' };
      });
    }
    if (done?.type !== 'ok') throw new Error(`could not create the guarded record of ${key}: ${done && 'error' in done ? done.error : 'no answer'}`);
  }
}

/** Every key's record at ALL, after healing; returns the reads that never got an answer. */
export async function finalGuardedReads(
  w: HistoryWriter,
  who: Performer,
  keys: readonly string[],
  retryPause: () => Promise<void>,
  attempts: number,
): Promise<string[]> {
  const missing: string[] = [];
  for (const key of keys) {
    let answered = false;
    for (let attempt = 1; attempt <= attempts && !answered; attempt++) {
      const done = await performGuarded(w, who, { f: 'guarded-read', key }, async (x) => ({ type: 'ok', value: await guardedResource.read(x, key) }), {
        levels: { readCl: 'ALL' },
        final: true,
      });
      answered = done.type === 'ok';
      if (!answered) await retryPause();
    }
    if (!answered) missing.push(`guarded record ${key} at ALL`);
  }
  return missing;
}
