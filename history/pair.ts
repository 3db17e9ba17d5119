// The one pairing of a history: each invocation with its process's completion. Checkers, the
// linearizability reader, the live check and the report all start from these operations, so
// they agree on what an operation is. Real-time order ("completed before it was invoked") is
// given by each event's position in the history sorted by (time, index); TTL arithmetic uses
// the times themselves.
//
// Rules: a process has at most one operation pending; a completion needs a pending invocation
// of the same f and key, and cannot precede it; an invocation never completed is `info` (it may
// still take effect at any later time). `meta`, `nemesis`, `forensic` and `end` events are not
// operations: they are kept as they are, as the history's frame.
//
// An operation keeps what anything downstream reads of its events (the statements its
// completion records, who a refused LWT saw holding the key), so that the paired history stands
// for the whole history: a reader can pair the events as it reads them and let each one go.

import { HistoryError } from './error.ts';
import { GuardedPairing, isGuardedEvent, type GuardedEvent, type GuardedOperation } from './guarded.ts';
import { isClientEvent, type ClientEvent, type FrameEvent, type HistoryEvent, type ReadValue, type StatementRecord } from './schema.ts';

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
  /** The statements the completion records (what torn rows are judged from); absent in histories recorded before they were kept. */
  statements: readonly StatementRecord[] | undefined;
}

/**
 * How an operation ended. `info` also covers an invocation whose completion never came.
 * `refusedBy`: the owner a failed operation saw holding the key (its `value`, as a refused LWT
 * reports it), when it names one. Only the owner is kept: most completions of a contended lock
 * are refusals, and their rows would be most of the pairing's memory.
 */
export type Outcome =
  | { outcome: 'ok'; completion: number; completedAt: number; completeTime: number; refusedBy?: undefined }
  | { outcome: 'fail'; completion: number; completedAt: number; completeTime: number; refusedBy: string | undefined }
  | { outcome: 'info'; completion: number | null; completedAt: number; completeTime: number; refusedBy?: undefined };

export type OwnerOperation = Common & Outcome & { f: 'acquire' | 'release'; owner: string; value?: undefined };

export type ReadOperation = Common &
  (
    | { outcome: 'ok'; value: ReadValue; completion: number; completedAt: number; completeTime: number; refusedBy?: undefined }
    | (Exclude<Outcome, { outcome: 'ok' }> & { value?: undefined })
  );

export type ReadOp = ReadOperation & { f: 'read'; owner?: undefined };
export type LockOperation = OwnerOperation | ReadOp;
export type OkRead = Extract<ReadOp, { outcome: 'ok' }>;

/** A history as its operations: what every checker is given. */
export interface PairedHistory {
  /** The events that are not client operations (meta, nemesis, forensic, end), in history order. */
  frame: readonly FrameEvent[];
  /** In order of invocation (history order). */
  ops: LockOperation[];
  /** The guarded record's operations (./guarded.ts), in order of invocation. */
  guarded: GuardedOperation[];
  /** The time of its latest event; 0 when it has none. */
  lastTime: number;
}

/** The history paired: a history already paired is taken as it is, events are paired (pairHistory). */
export function asPaired(history: readonly HistoryEvent[] | PairedHistory): PairedHistory {
  return 'ops' in history ? history : pairHistory(history);
}

/** Pairs the history's client events into operations; throws HistoryError naming the line that breaks a rule. */
export function pairHistory(events: readonly HistoryEvent[]): PairedHistory {
  const position = realTimePositions(events);
  const pairing = new HistoryPairing();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    pairing.add(e, position ? position.get(e.index)! : i);
  }
  return pairing.finish();
}

/**
 * A history paired as its events come, each with its real-time position. A broken rule is
 * thrown by `finish`, so that a reader still reports any bad line of the file first: the lock
 * operations' first broken rule, else the guarded operations' (every checker reads the lock
 * operations; only the guarded record's checkers read the others).
 */
export class HistoryPairing {
  private readonly open = new Map<number, Mutable>();
  private readonly ops: Mutable[] = [];
  private readonly frame: FrameEvent[] = [];
  private readonly guarded = new GuardedPairing();
  private lastTime = 0;
  private broken: HistoryError | undefined;
  private guardedBroken: HistoryError | undefined;

  add(e: HistoryEvent, at: number): void {
    if (e.time > this.lastTime) this.lastTime = e.time;
    if (!isClientEvent(e)) {
      this.frame.push(e);
      return;
    }
    // The guarded resource's operations are paired on their own (./guarded.ts): lock checkers never see them.
    if (isGuardedEvent(e)) {
      if (this.guardedBroken === undefined) this.guardedBroken = caught(() => this.guarded.add(e));
      return;
    }
    if (this.broken === undefined) this.broken = this.pair(e, at);
  }

  finish(): PairedHistory {
    if (this.broken) throw this.broken;
    if (this.guardedBroken) throw this.guardedBroken;
    return { frame: this.frame, ops: this.ops as unknown as LockOperation[], guarded: this.guarded.ops, lastTime: this.lastTime };
  }

  /** Pairs one event of a lock operation; the rule it breaks, if any. */
  private pair(e: LockEvent, at: number): HistoryError | undefined {
    const line = e.index + 1;
    if (e.type === 'invoke') {
      if (this.open.has(e.process)) return new HistoryError(`process ${e.process} invokes while its previous operation is pending`, line);
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
        statements: undefined,
        refusedBy: undefined,
      };
      this.ops.push(op);
      this.open.set(e.process, op);
      return undefined;
    }
    const op = this.open.get(e.process);
    if (!op) return new HistoryError(`process ${e.process} completes ${e.f} without a pending invocation`, line);
    if (op.f !== e.f || op.key !== e.key) {
      return new HistoryError(`process ${e.process} completes ${e.f} ${e.key} but invoked ${op.f} ${op.key}`, line);
    }
    if (e.time < op.invokeTime) return new HistoryError(`time: completion at ${e.time} precedes its invocation at ${op.invokeTime}`, line);
    this.open.delete(e.process);
    op.outcome = e.type;
    op.completion = e.index;
    op.completedAt = at;
    op.completeTime = e.time;
    op.statements = e.statements;
    if (e.type === 'ok' && e.f === 'read') op.value = e.value;
    if (e.type === 'fail' && e.value?.state === 'held' && typeof e.value.owner === 'string') op.refusedBy = e.value.owner;
    if (e.type !== 'ok' && e.error !== undefined) op.error = e.error;
    return undefined;
  }
}

/** A client event of a lock operation. */
type LockEvent = Exclude<ClientEvent, GuardedEvent>;

/** The HistoryError `run` throws, if it throws one. */
function caught(run: () => void): HistoryError | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof HistoryError) return err;
    throw err;
  }
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
  refusedBy: string | undefined;
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
