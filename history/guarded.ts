// The guarded record's operations (`guarded-read`, `guarded-write`), paired on their own: the
// lock pairing (./pair.ts) leaves them out, so lock checkers and the linearizability search see
// only lock operations, while the guarded-resource checkers read both.

import { HistoryError } from './error.ts';
import { isClientEvent, type ClientEvent, type GuardedValue, type HistoryEvent } from './schema.ts';

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
  /** The completion's error text (fail or info), if any. */
  error: string | undefined;
}

/** A client event of a guarded operation. */
export type GuardedEvent = ClientEvent & { f: GuardedOperation['f'] };

export function isGuardedEvent(e: HistoryEvent): e is GuardedEvent {
  return isClientEvent(e) && (e.f === 'guarded-read' || e.f === 'guarded-write');
}

/**
 * The guarded operations of a history, paired as its events come in history order, so that a
 * reader can let each event go once it is paired (./pair.ts does).
 */
export class GuardedPairing {
  private readonly open = new Map<number, GuardedOperation>();
  /** In order of invocation. */
  readonly ops: GuardedOperation[] = [];

  /** Throws HistoryError for a completion with no pending guarded invocation. */
  add(e: GuardedEvent): void {
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
        error: undefined,
      };
      this.ops.push(op);
      this.open.set(e.process, op);
      return;
    }
    const op = this.open.get(e.process);
    if (!op || op.f !== e.f || op.key !== e.key) throw new HistoryError(`process ${e.process} completes ${e.f} ${e.key} without a pending invocation of it`, e.index + 1);
    this.open.delete(e.process);
    op.outcome = e.type;
    op.completion = e.index;
    op.completeTime = e.time;
    if (e.type === 'ok' && e.f === 'guarded-read') {
      op.value = e.value;
      op.token = e.token;
    }
    if (e.type !== 'ok' && e.error !== undefined) op.error = e.error;
  }
}

/** The guarded operations, in order of invocation; throws HistoryError for a completion with no pending guarded invocation. */
export function pairGuarded(events: readonly HistoryEvent[]): GuardedOperation[] {
  const pairing = new GuardedPairing();
  for (const e of events) if (isGuardedEvent(e)) pairing.add(e);
  return pairing.ops;
}
