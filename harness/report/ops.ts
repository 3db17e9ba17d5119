// Pairs invocations with completions and fault starts with stops: the shapes every figure and
// summary of a history is drawn from. Pure.
import type { HistoryEvent, InvokeEvent } from '../history/events.ts';

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

export function pairOps(events: readonly HistoryEvent[]): Op[] {
  const open = new Map<number, InvokeEvent>();
  const ops: Op[] = [];
  const end = historyEnd(events);
  const close = (inv: InvokeEvent, rest: Pick<Op, 'type' | 'end' | 'completeIndex' | 'error'>): void => {
    ops.push({
      process: inv.process,
      ...(inv.node !== undefined ? { node: inv.node } : {}),
      f: inv.f,
      key: inv.key,
      ...('owner' in inv ? { owner: inv.owner } : {}),
      final: inv.final === true,
      start: inv.time,
      invokeIndex: inv.index,
      ...rest,
    });
  };
  for (const e of events) {
    if (e.type === 'invoke') {
      open.set(e.process, e);
    } else if (e.type === 'ok' || e.type === 'fail' || e.type === 'info') {
      const inv = open.get(e.process);
      if (!inv) continue;
      open.delete(e.process);
      const error = e.type === 'ok' ? undefined : e.error;
      close(inv, { type: e.type, end: e.time, completeIndex: e.index, ...(error !== undefined ? { error } : {}) });
    }
  }
  for (const inv of open.values()) close(inv, { type: 'info', end, completeIndex: null, error: 'never completed' });
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
