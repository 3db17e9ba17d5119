// The lock checkers reason about operations, not lines: each invocation paired with its
// completion. Real-time order ("completed before it was invoked") is judged by each event's
// position in the history sorted by (time, index); TTL arithmetic uses the times themselves.

import type { HistoryEvent, InvokeEvent, ReadValue } from '../../harness/history/events.ts';

interface Common {
  key: string;
  process: number;
  /** Final read after healing (flagged on its invocation). */
  final: boolean;
  /** `index` of the invoke event. */
  invoke: number;
  /** Real-time position of the invocation (comparable with other positions only). */
  invokedAt: number;
  /** Monotonic nanoseconds of the invocation. */
  invokeTime: number;
}

/** How an operation ended. `info` also covers an invocation whose completion never came. */
export type Outcome =
  | { outcome: 'ok' | 'fail'; completion: number; completedAt: number; completeTime: number }
  | { outcome: 'info'; completion: number | null; completedAt: number; completeTime: number };

export type OwnerOperation = Common & Outcome & { f: 'acquire' | 'release'; owner: string };

export type ReadOperation = Common &
  (
    | { outcome: 'ok'; value: ReadValue; completion: number; completedAt: number; completeTime: number }
    | (Exclude<Outcome, { outcome: 'ok' }> & { value?: undefined })
  );

export type ReadOp = ReadOperation & { f: 'read' };
export type LockOperation = OwnerOperation | ReadOp;
export type OkRead = Extract<ReadOp, { outcome: 'ok' }>;

/**
 * Pairs every invocation with the next completion of the same process. A completion that does
 * not match its invocation (other f or key) is ignored; an invocation left open is `info` with
 * completion at infinity: it may still take effect at any later time.
 */
export function pairOperations(events: readonly HistoryEvent[]): LockOperation[] {
  const position = realTimePositions(events);
  const open = new Map<number, { event: InvokeEvent; op: Mutable }>();
  const ops: Mutable[] = [];
  for (const e of events) {
    if (e.type === 'invoke') {
      // One object shape for every operation, completed in place: this runs on every event.
      const op: Mutable = {
        f: e.f,
        key: e.key,
        owner: e.f === 'read' ? undefined : e.owner,
        process: e.process,
        final: e.final === true,
        invoke: e.index,
        invokedAt: position.get(e.index)!,
        invokeTime: e.time,
        outcome: 'info',
        completion: null,
        completedAt: Infinity,
        completeTime: Infinity,
        value: undefined,
      };
      ops.push(op);
      open.set(e.process, { event: e, op });
    } else if (e.type === 'ok' || e.type === 'fail' || e.type === 'info') {
      const started = open.get(e.process);
      if (!started || started.event.f !== e.f || started.event.key !== e.key) continue;
      open.delete(e.process);
      const op = started.op;
      op.outcome = e.type;
      op.completion = e.index;
      op.completedAt = position.get(e.index)!;
      op.completeTime = e.time;
      if (e.type === 'ok' && e.f === 'read') op.value = e.value;
    }
  }
  return ops as unknown as LockOperation[];
}

interface Mutable {
  f: LockOperation['f'];
  key: string;
  owner: string | undefined;
  process: number;
  final: boolean;
  invoke: number;
  invokedAt: number;
  invokeTime: number;
  outcome: 'ok' | 'fail' | 'info';
  completion: number | null;
  completedAt: number;
  completeTime: number;
  value: ReadValue | undefined;
}

function realTimePositions(events: readonly HistoryEvent[]): Map<number, number> {
  const sorted = [...events].sort((a, b) => a.time - b.time || a.index - b.index);
  const positions = new Map<number, number>();
  sorted.forEach((e, i) => positions.set(e.index, i));
  return positions;
}

export function groupByKey<T extends { key: string }>(ops: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const op of ops) {
    let g = groups.get(op.key);
    if (!g) groups.set(op.key, (g = []));
    g.push(op);
  }
  return groups;
}

export function isOkRead(op: LockOperation): op is OkRead {
  return op.f === 'read' && op.outcome === 'ok';
}

/**
 * Who an ok read saw holding the key: an owner token, `unknown` for a held row without an owner
 * column, or null when the key read free.
 */
export function observedHolder(read: OkRead): string | 'unknown' | null {
  if (read.value.state === 'free') return null;
  return typeof read.value.owner === 'string' ? read.value.owner : 'unknown';
}

/**
 * Could this operation's effect fall strictly after position `after` and strictly before position
 * `before`? An ok operation takes effect between its invocation and its completion; an info one at
 * any time after its invocation, or never; a failed one never.
 */
export function couldTakeEffectBetween(op: OwnerOperation, after: number, before: number): boolean {
  if (op.outcome === 'fail') return false;
  return op.invokedAt < before && latestEffectAt(op) > after;
}

/** The last position at which the operation may take effect. */
export function latestEffectAt(op: LockOperation): number {
  return op.outcome === 'ok' ? op.completedAt : op.outcome === 'info' ? Infinity : -Infinity;
}

/** Event indexes proving an operation happened as recorded: its invocation and completion. */
export function eventsOf(op: LockOperation): number[] {
  return op.completion === null ? [op.invoke] : [op.invoke, op.completion];
}

export function witness(...groups: number[][]): number[] {
  return [...new Set(groups.flat())].sort((a, b) => a - b);
}
