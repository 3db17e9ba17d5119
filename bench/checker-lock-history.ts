// Generates lockstorm lock histories from a simulated correct lock service (with TTL expiry,
// concurrency and crashed clients), for the checker's bench and property tests.

import type { HistoryEvent, ReadValue } from '../history/index.ts';

export interface LockHistoryOptions {
  ops: number;
  keys?: number;
  processes?: number;
  /** Probability that an operation's outcome is lost (info); its effect then applies or not, 50/50. */
  infoRate?: number;
  ttlSeconds?: number;
  seed?: number;
}

const MS = 1e6;

/** mulberry32: small, seeded, good enough for workloads. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scheduled {
  time: number;
  seq: number;
  run: () => void;
}

class Queue {
  private heap: Scheduled[] = [];
  private seq = 0;
  push(time: number, run: () => void): void {
    const h = this.heap;
    h.push({ time, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Scheduled | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: Scheduled, b: Scheduled): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }
}

export function generateLockHistory(o: LockHistoryOptions): HistoryEvent[] {
  const keys = o.keys ?? 16;
  const processes = o.processes ?? 10;
  const infoRate = o.infoRate ?? 0.01;
  const ttlSeconds = o.ttlSeconds ?? 5;
  const ttl = ttlSeconds * 1e9;
  const random = rng(o.seed ?? 1);
  const events: HistoryEvent[] = [];
  // Events are built field by field below; the reader's schema tests keep their shape honest.
  const emit = (e: Record<string, unknown>): void => {
    events.push({ ...e, index: events.length } as unknown as HistoryEvent);
  };
  emit({ type: 'meta', time: 0, recipe: 'simulated', params: { ttlSeconds } });
  const lock = new Map<string, { owner: string; expires: number }>();
  const holderOf = (key: string, t: number) => {
    const l = lock.get(key);
    return l && l.expires > t ? l.owner : null;
  };
  const q = new Queue();
  let invoked = 0;
  let nextProcess = processes;
  let ownerSeq = 0;
  const held = new Map<number, { key: string; owner: string }>();

  const startOp = (process: number, at: number): void => {
    if (invoked >= o.ops) return;
    invoked++;
    const call = at;
    const ret = call + MS * (1 + random() * 20);
    const point = call + (ret - call) * random();
    const mine = held.get(process);
    const key = mine?.key ?? `k${Math.floor(random() * keys)}`;
    const r = random();
    const f: 'acquire' | 'release' | 'read' = mine ? (r < 0.7 ? 'release' : 'read') : r < 0.6 ? 'acquire' : 'read';
    const owner = f === 'acquire' ? `p${process}-${ownerSeq++}` : f === 'release' ? mine!.owner : undefined;
    const crashed = random() < infoRate;
    const applies = !crashed || random() < 0.5;
    const op = owner === undefined ? { f, key } : { f, key, owner };
    emit({ type: 'invoke', process, time: call, ...op });
    let ok = false;
    let seen: ReadValue = { state: 'free', owner: null, row: null };
    q.push(point, () => {
      if (!applies) return;
      const h = holderOf(key, point);
      if (f === 'acquire' && h === null) {
        lock.set(key, { owner: owner!, expires: point + ttl });
        ok = true;
      } else if (f === 'release' && h === owner) {
        lock.delete(key);
        ok = true;
      } else if (f === 'read') {
        ok = true;
        seen = h === null ? { state: 'free', owner: null, row: null } : { state: 'held', owner: h, row: { owner: h } };
      }
    });
    q.push(ret, () => {
      if (crashed) {
        emit({ type: 'info', process, time: ret, ...op, error: 'timeout' });
        held.delete(process);
        startOp(nextProcess++, ret + random() * 5 * MS);
        return;
      }
      if (f === 'read') emit({ type: 'ok', process, time: ret, f, key, value: seen });
      else emit({ type: ok ? 'ok' : 'fail', process, time: ret, ...op });
      if (f === 'acquire' && ok) held.set(process, { key, owner: owner! });
      if (f === 'release') held.delete(process);
      startOp(process, ret + random() * 5 * MS);
    });
  };
  for (let p = 0; p < processes; p++) startOp(p, random() * 5 * MS);
  for (let s = q.pop(); s; s = q.pop()) s.run();
  return events;
}
