// The one pairing of a history: each invocation with its process's completion. Checkers, the
// linearizability reader, the live check and the report all start from these operations, so
// they agree on what an operation is. Real-time order ("completed before it was invoked") is
// given by each event's position in the history sorted by (time, index); TTL arithmetic uses
// the times themselves.
//
// Rules: a process has at most one operation pending; a completion needs a pending invocation
// of the same f and key, and cannot precede it; an invocation never completed is `info` (it may
// still take effect at any later time). `meta`, `nemesis` and `end` events are not operations.

import { HistoryError } from './error.ts';
import type { HistoryEvent, ReadValue } from './schema.ts';

interface Common {
  key: string;
  process: number;
  /** The node the process was pinned to, when recorded. */
  node: string | undefined;
  /** Final read after healing (flagged on its invocation). */
  final: boolean;
  /** `index` of the invoke event. */
  invoke: number;
  /** Real-time position of the invocation (comparable with other positions only). */
  invokedAt: number;
  /** Monotonic nanoseconds of the invocation. */
  invokeTime: number;
  /** The completion's error text (fail or info), if any. */
  error: string | undefined;
}

/** How an operation ended. `info` also covers an invocation whose completion never came. */
export type Outcome =
  | { outcome: 'ok' | 'fail'; completion: number; completedAt: number; completeTime: number }
  | { outcome: 'info'; completion: number | null; completedAt: number; completeTime: number };

export type OwnerOperation = Common & Outcome & { f: 'acquire' | 'release'; owner: string; value?: undefined };

export type ReadOperation = Common &
  (
    | { outcome: 'ok'; value: ReadValue; completion: number; completedAt: number; completeTime: number }
    | (Exclude<Outcome, { outcome: 'ok' }> & { value?: undefined })
  );

export type ReadOp = ReadOperation & { f: 'read'; owner?: undefined };
export type LockOperation = OwnerOperation | ReadOp;
export type OkRead = Extract<ReadOp, { outcome: 'ok' }>;

/** A history with its operations: what every checker is given. */
export interface PairedHistory {
  events: readonly HistoryEvent[];
  /** In order of invocation (history order). */
  ops: LockOperation[];
}

/** Pairs the history's client events into operations; throws HistoryError naming the line that breaks a rule. */
export function pairHistory(events: readonly HistoryEvent[]): PairedHistory {
  const position = realTimePositions(events);
  const open = new Map<number, Mutable>();
  const ops: Mutable[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.type === 'meta' || e.type === 'nemesis' || e.type === 'end' || e.type === 'forensic') continue;
    // The guarded resource's operations are paired on their own (./guarded.ts): lock checkers never see them.
    if (e.f === 'guarded-read' || e.f === 'guarded-write') continue;
    const line = e.index + 1;
    const at = position ? position.get(e.index)! : i;
    if (e.type === 'invoke') {
      if (open.has(e.process)) throw new HistoryError(`process ${e.process} invokes while its previous operation is pending`, line);
      // One object shape for every operation, completed in place: this runs on every event.
      const op: Mutable = {
        f: e.f,
        key: e.key,
        owner: e.f === 'read' ? undefined : e.owner,
        process: e.process,
        node: e.node,
        final: e.final === true,
        invoke: e.index,
        invokedAt: at,
        invokeTime: e.time,
        outcome: 'info',
        completion: null,
        completedAt: Infinity,
        completeTime: Infinity,
        value: undefined,
        error: undefined,
      };
      ops.push(op);
      open.set(e.process, op);
      continue;
    }
    const op = open.get(e.process);
    if (!op) throw new HistoryError(`process ${e.process} completes ${e.f} without a pending invocation`, line);
    if (op.f !== e.f || op.key !== e.key) {
      throw new HistoryError(`process ${e.process} completes ${e.f} ${e.key} but invoked ${op.f} ${op.key}`, line);
    }
    if (e.time < op.invokeTime) throw new HistoryError(`time: completion at ${e.time} precedes its invocation at ${op.invokeTime}`, line);
    open.delete(e.process);
    op.outcome = e.type;
    op.completion = e.index;
    op.completedAt = at;
    op.completeTime = e.time;
    if (e.type === 'ok' && e.f === 'read') op.value = e.value;
    if (e.type !== 'ok' && e.error !== undefined) op.error = e.error;
  }
  return { events, ops: ops as unknown as LockOperation[] };
}

/** An operation while it is being paired: the common fields, and an outcome filled in as it ends. */
type Mutable = Common & {
  f: LockOperation['f'];
  owner: string | undefined;
  outcome: 'ok' | 'fail' | 'info';
  completion: number | null;
  completedAt: number;
  completeTime: number;
  value: ReadValue | undefined;
};

/**
 * Each event's position in (time, index) order, by index; null when the events are already in
 * that order (every history the reader accepts is), so a position is the array position.
 */
function realTimePositions(events: readonly HistoryEvent[]): Map<number, number> | null {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i++) {
    const a = events[i - 1]!;
    const b = events[i]!;
    sorted = a.time < b.time || (a.time === b.time && a.index < b.index);
  }
  if (sorted) return null;
  const positions = new Map<number, number>();
  [...events].sort((a, b) => a.time - b.time || a.index - b.index).forEach((e, i) => positions.set(e.index, i));
  return positions;
}
