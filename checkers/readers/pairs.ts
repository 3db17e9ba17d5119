// Jepsen-style histories are streams of invoke/complete events per process; checkers want
// operations. Pairing rules (Jepsen's): a completion closes its process's pending invocation;
// `info` leaves the outcome unknown (the process is retired); an invocation still pending at
// the end of the history never returned, which is the same as `info`.

import type { Edn } from './edn.ts';
import { HistoryError } from './history-error.ts';

export type Outcome = 'ok' | 'fail' | 'info';

export interface RawEvent {
  process: number;
  type: 'invoke' | Outcome;
  f: string;
  value: Edn;
  /** Other fields of the event (e.g. :key), by name without the colon. */
  extra?: Record<string, Edn>;
  line: number;
}

export interface PairedOp {
  process: number;
  f: string;
  /** The invocation's value. */
  invoke: Edn;
  /** The completion's value; the invocation's for an op that never completed. */
  value: Edn;
  outcome: Outcome;
  /** Positions in the event stream: only their order matters. */
  call: number;
  return: number | null;
  extra: Record<string, Edn>;
  lines: number[];
}

/**
 * Pairs events into operations. No client operation at all is an error: whatever text produced
 * that (an empty file, only nemesis events, another format) is not a history to judge.
 */
export function pairEvents(events: readonly RawEvent[]): PairedOp[] {
  const pending = new Map<number, PairedOp>();
  const ops: PairedOp[] = [];
  events.forEach((e, position) => {
    if (e.type === 'invoke') {
      if (pending.has(e.process)) {
        throw new HistoryError(`process ${e.process} invokes :${e.f} while its previous operation is still pending`, e.line);
      }
      const op: PairedOp = {
        process: e.process,
        f: e.f,
        invoke: e.value,
        value: e.value,
        outcome: 'info',
        call: position,
        return: null,
        extra: e.extra ?? {},
        lines: [e.line],
      };
      pending.set(e.process, op);
      ops.push(op);
      return;
    }
    const op = pending.get(e.process);
    if (!op) throw new HistoryError(`process ${e.process} completes :${e.f} without a pending invocation`, e.line);
    if (op.f !== e.f) throw new HistoryError(`process ${e.process} completes :${e.f} but invoked :${op.f}`, e.line);
    pending.delete(e.process);
    op.lines.push(e.line);
    op.outcome = e.type;
    op.value = e.value;
    if (e.type !== 'info') op.return = position;
  });
  if (ops.length === 0) throw new HistoryError('no client operations: not one :invoke of a client process, so nothing to check');
  return ops;
}
