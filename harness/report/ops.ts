// The shapes every figure and summary of a history is drawn from: its operations (as
// history/pair.ts pairs them) and its fault windows (starts paired with stops). Pure.
import type { Anomaly } from '../../checkers/anomaly.ts';
import { asPaired, type HistoryEvent, type LockOperation, type PairedHistory } from '../../history/index.ts';

export interface Op {
  process: number;
  node?: string;
  f: 'acquire' | 'release' | 'read';
  key: string;
  owner?: string;
  /** `info` also for an invocation the history never completed (lockstorm stopped first). */
  type: 'ok' | 'fail' | 'info';
  final: boolean;
  /** Nanoseconds since the run started. */
  start: number;
  end: number;
  invokeIndex: number;
  completeIndex: number | null;
  error?: string;
}

export interface FaultWindow {
  fault: string;
  targets: string[];
  start: number;
  /** Where the history ends when it never recorded the stop. */
  end: number;
  startIndex: number;
  stopIndex: number | null;
}

/**
 * What the report draws of a cell's history (report.html's charts and witnesses, junit.xml's time
 * of the first anomaly), taken once the cell is judged, so that the history itself can be let go
 * of before the pages are written.
 */
export interface DrawnHistory {
  /** In order of invocation time. */
  ops: Op[];
  windows: FaultWindow[];
  /** The time of the history's latest event. */
  end: number;
  /** The time of each event the witnesses of the cell's anomalies name, by index. */
  witnessTimes: ReadonlyMap<number, number>;
}

export function drawnHistory(history: PairedHistory, anomalies: readonly Anomaly[]): DrawnHistory {
  return {
    ops: pairOps(history),
    windows: faultWindows(history.frame, history.lastTime),
    end: history.lastTime,
    witnessTimes: eventTimes(history, new Set(anomalies.flatMap((a) => a.witness))),
  };
}

/** The times of the events at `indexes`, read off the operations that hold them and the frame. */
export function eventTimes(history: PairedHistory, indexes: ReadonlySet<number>): Map<number, number> {
  const times = new Map<number, number>();
  if (indexes.size === 0) return times;
  const note = (index: number | null, time: number): void => {
    if (index !== null && indexes.has(index)) times.set(index, time);
  };
  for (const e of history.frame) note(e.index, e.time);
  for (const ops of [history.ops, history.guarded]) {
    for (const op of ops) {
      note(op.invoke, op.invokeTime);
      note(op.completion, op.completeTime);
    }
  }
  return times;
}

export function historyEnd(events: readonly HistoryEvent[]): number {
  let end = 0;
  for (const e of events) end = Math.max(end, e.time);
  return end;
}

/**
 * The operations in order of invocation time. Takes the events (paired here, throwing
 * HistoryError naming the line on a broken pairing) or a history already paired.
 */
export function pairOps(history: readonly HistoryEvent[] | PairedHistory): Op[] {
  const owned = !('ops' in history);
  const paired = asPaired(history);
  const end = paired.lastTime;
  const pairs: (LockOperation | undefined)[] = paired.ops;
  const ops: Op[] = new Array<Op>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const op = pairs[i]!;
    // A pairing made here is let go of as it is read, so that the pairs and the Ops of a
    // history of a million operations are not all in memory at once.
    if (owned) pairs[i] = undefined;
    const done = op.completion !== null;
    const error = done ? op.error : 'never completed';
    // Optional fields set by assignment, not spread: spreading conditional objects costs most of
    // the time of pairing a million operations.
    const o: Op = { process: op.process, f: op.f, key: op.key, type: op.outcome, final: op.final, start: op.invokeTime, end: done ? op.completeTime : end, invokeIndex: op.invoke, completeIndex: op.completion };
    if (op.node !== undefined) o.node = op.node;
    if (op.owner !== undefined) o.owner = op.owner;
    if (error !== undefined) o.error = error;
    ops[i] = o;
  }
  return ops.sort((a, b) => a.start - b.start);
}

/** `end`: where the history ends, for a window it never recorded the stop of; default its latest event. */
export function faultWindows(events: readonly HistoryEvent[], end = historyEnd(events)): FaultWindow[] {
  const open = new Map<string, { e: HistoryEvent & { type: 'nemesis' } }[]>();
  const windows: FaultWindow[] = [];
  for (const e of events) {
    if (e.type !== 'nemesis') continue;
    const slot = `${e.fault}|${[...e.targets].sort().join(',')}`;
    if (e.phase === 'start') {
      open.set(slot, [...(open.get(slot) ?? []), { e }]);
      continue;
    }
    // A stop may name fewer targets than its start (a heal-all); fall back to the oldest open window of that fault.
    let key: string | undefined = open.get(slot)?.length ? slot : [...open.keys()].find((k) => k.startsWith(`${e.fault}|`) && open.get(k)!.length);
    if (!key) continue;
    const started = open.get(key)!.shift()!.e as HistoryEvent & { type: 'nemesis' };
    windows.push({ fault: started.fault, targets: started.targets, start: started.time, end: e.time, startIndex: started.index, stopIndex: e.index });
  }
  for (const list of open.values()) {
    for (const { e } of list) windows.push({ fault: e.fault, targets: e.targets, start: e.time, end, startIndex: e.index, stopIndex: null });
  }
  return windows.sort((a, b) => a.start - b.start);
}
