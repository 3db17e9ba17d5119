// The shapes every figure and summary of a history is drawn from: its operations (as
// history/pair.ts pairs them) and its fault windows (starts paired with stops). Pure.
import { pairHistory, type HistoryEvent, type LockOperation, type PairedHistory } from '../../history/index.ts';

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
  const paired = 'ops' in history ? history : pairHistory(history);
  const end = historyEnd(paired.events);
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

export function faultWindows(events: readonly HistoryEvent[]): FaultWindow[] {
  const open = new Map<string, { e: HistoryEvent & { type: 'nemesis' } }[]>();
  const windows: FaultWindow[] = [];
  const end = historyEnd(events);
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
