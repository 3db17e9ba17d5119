// The guarded record's operations (`guarded-read`, `guarded-write`), paired on their own: the
// lock pairing (./pair.ts) leaves them out, so lock checkers and the linearizability search see
// only lock operations, while the guarded-resource checkers read both.

import { HistoryError } from './error.ts';
import type { GuardedValue, HistoryEvent } from './schema.ts';

export interface GuardedOperation {
  f: 'guarded-read' | 'guarded-write';
  key: string;
  /** The holder's acquire it ran under; absent for the record's creation and the final reads. */
  owner: string | undefined;
  process: number;
  final: boolean;
  /** `index` of the invoke event, and its monotonic nanoseconds. */
  invoke: number;
  invokeTime: number;
  /** `info` also covers an invocation never completed. */
  outcome: 'ok' | 'fail' | 'info';
  completion: number | null;
  /** Infinity while never completed. */
  completeTime: number;
  /** A guarded-write's counter. */
  counter: number | undefined;
  /** The fencing token presented (write) or claimed with (ok read). */
  token: number | undefined;
  /** What an ok guarded-read saw. */
  value: GuardedValue | undefined;
}

function isGuarded(f: string): f is GuardedOperation['f'] {
  return f === 'guarded-read' || f === 'guarded-write';
}

/** The guarded operations, in order of invocation; throws HistoryError for a completion with no pending guarded invocation. */
export function pairGuarded(events: readonly HistoryEvent[]): GuardedOperation[] {
  const open = new Map<number, GuardedOperation>();
  const ops: GuardedOperation[] = [];
  for (const e of events) {
    if (e.type !== 'invoke' && e.type !== 'ok' && e.type !== 'fail' && e.type !== 'info') continue;
    if (!isGuarded(e.f)) continue;
    if (e.type === 'invoke') {
      const op: GuardedOperation = {
        f: e.f,
        key: e.key,
        owner: 'owner' in e ? e.owner : undefined,
        process: e.process,
        final: e.final === true,
        invoke: e.index,
        invokeTime: e.time,
        outcome: 'info',
        completion: null,
        completeTime: Infinity,
        counter: e.f === 'guarded-write' ? e.counter : undefined,
        token: e.f === 'guarded-write' ? e.token : undefined,
        value: undefined,
      };
      ops.push(op);
      open.set(e.process, op);
      continue;
    }
    const op = open.get(e.process);
    if (!op || op.f !== e.f || op.key !== e.key) throw new HistoryError(`process ${e.process} completes ${e.f} ${e.key} without a pending invocation of it`, e.index + 1);
    open.delete(e.process);
    op.outcome = e.type;
    op.completion = e.index;
    op.completeTime = e.time;
    if (e.type === 'ok' && e.f === 'guarded-read') {
      op.value = e.value;
      op.token = e.token;
    }
  }
  return ops;
}
