// Histories that a correct lock produces, for property tests: one global order of effects
// (a single sequential lock per key with TTL expiry), clients that behave like lockstorm's
// (fresh owner per acquire, release what they hold, clean up after an unknown acquire), and
// operations whose replies are lost (info) whether or not they took effect, some landing long
// after the client gave up. A script of small choices drives it, so fast-check can shrink it.

import type { HistoryEvent, LockOp, ReadValue } from '../../../history/index.ts';
import { HistoryBuilder } from './history-builder.ts';

export type Step =
  | { do: 'invoke'; worker: number; choice: number }
  | { do: 'take-effect'; pick: number; choice: number }
  | { do: 'complete'; pick: number; choice: number }
  | { do: 'land'; pick: number }
  | { do: 'wait'; ms: number };

export interface Scenario {
  workers: number;
  keys: number;
  ttlSeconds: number;
  /** Recipes without an owner column report held rows without naming the owner. */
  ownerColumn: boolean;
  /** Whether a client releases an acquire whose outcome it does not know. */
  cleanup: boolean;
  steps: Step[];
  /** Whether each operation still floating at the end takes effect before the final reads. */
  landAtEnd: boolean[];
  /** A deliberately broken lock, to show the checkers are not silent. */
  broken?: Breakage;
}

/**
 * no-exclusion: acquire ignores the holder; release-ignored: an owner's release reports success
 * but leaves the lock held; stale-reads: every other read returns the key's previous state.
 */
export type Breakage = 'no-exclusion' | 'release-ignored' | 'stale-reads';

export interface Generated {
  events: HistoryEvent[];
  /** Keys whose final holder had been given up by its client and has no TTL: really stuck locks. */
  stuck: Map<string, string>;
}

const NS_PER_MS = 1_000_000;

interface Pending {
  worker: number;
  process: number;
  op: LockOp;
  /** What the operation returned when it took effect (undefined: it has not taken effect). */
  result?: { ok: boolean; value?: ReadValue };
}

interface Holder {
  owner: string;
  /** When the TTL frees it: somewhere between ttl - 1 s and ttl after it took effect. */
  expiresAt: number;
}

export function generateHistory(s: Scenario): Generated {
  const h = new HistoryBuilder('sequential-lock', { ttlSeconds: s.ttlSeconds });
  const keys = Array.from({ length: s.keys }, (_, i) => `k${i}`);
  const state = new Map<string, Holder | null>(keys.map((k) => [k, null]));
  const processOf = Array.from({ length: s.workers }, (_, w) => w);
  let nextProcess = s.workers;
  const nextAttempt = new Map<number, number>();
  const holding = new Map<number, { key: string; owner: string }>();
  const owedCleanup = new Map<number, { key: string; owner: string }>();
  const gaveUp = new Set<string>();
  const pending: Pending[] = [];
  const floating: Pending[] = [];
  let nowNs = 0;

  // Every step happens one millisecond after the last event, so no two instants coincide.
  const tick = (ms = 1): void => {
    h.advance(ms);
    nowNs = h.now;
  };
  const previous = new Map<string, Holder | null>();
  const set = (key: string, holder: Holder | null): void => {
    previous.set(key, state.get(key) ?? null);
    state.set(key, holder);
  };
  const current = (key: string): Holder | null => {
    const holder = state.get(key) ?? null;
    if (holder && nowNs >= holder.expiresAt) set(key, null);
    return state.get(key) ?? null;
  };
  const readValue = (holder: Holder | null): ReadValue => {
    if (!holder) return { state: 'free', owner: null, row: null };
    return s.ownerColumn ? { state: 'held', owner: holder.owner, row: { owner: holder.owner } } : { state: 'held', row: { lock: true } };
  };
  /** Applies an operation to the lock now; `choice` settles what the spec leaves open. */
  const takeEffect = (op: LockOp, choice: number): { ok: boolean; value?: ReadValue } => {
    const holder = current(op.key);
    if (op.f === 'read') {
      const stale = s.broken === 'stale-reads' && choice % 2 === 1;
      return { ok: true, value: readValue(stale ? (previous.get(op.key) ?? null) : holder) };
    }
    if (op.f === 'acquire') {
      if (holder && s.broken !== 'no-exclusion') return { ok: false };
      const slackNs = (choice % 1000) * NS_PER_MS;
      const expiresAt = s.ttlSeconds > 0 ? nowNs + s.ttlSeconds * 1_000 * NS_PER_MS - slackNs : Infinity;
      set(op.key, { owner: op.owner, expiresAt });
      return { ok: true };
    }
    if (holder?.owner === op.owner) {
      if (s.broken !== 'release-ignored') set(op.key, null);
      return { ok: true };
    }
    // Releasing a free key is a harmless no-op that may report either way; a key held by
    // another owner must not be released.
    return { ok: holder === null && choice % 2 === 0 };
  };

  for (const step of s.steps) {
    tick(step.do === 'wait' ? step.ms : 1);
    if (step.do === 'invoke') {
      const w = step.worker % s.workers;
      if (pending.some((p) => p.worker === w)) continue;
      const process = processOf[w]!;
      const op = nextOperation(w, process, step.choice);
      h.invoke(process, op);
      pending.push({ worker: w, process, op });
    } else if (step.do === 'take-effect') {
      const p = pick(pending.filter((q) => !q.result), step.pick);
      if (p) p.result = takeEffect(p.op, step.choice);
    } else if (step.do === 'complete') {
      const p = pick(pending, step.pick);
      if (p) complete(p, step.choice);
    } else if (step.do === 'land') {
      const p = pick(floating, step.pick);
      if (p) {
        floating.splice(floating.indexOf(p), 1);
        takeEffect(p.op, 0);
      }
    }
  }

  // The run ends: what is still running times out, and the faults heal.
  for (const p of [...pending]) complete(p, 1);
  s.landAtEnd.forEach((land, i) => {
    const p = floating[i];
    if (land && p) takeEffect(p.op, 0);
  });
  tick(1);
  const stuck = new Map<string, string>();
  for (const key of keys) {
    const process = nextProcess++;
    h.invoke(process, { f: 'read', key }, { final: true });
    tick(1);
    const holder = current(key);
    h.ok(process, readValue(holder));
    if (holder && holder.expiresAt === Infinity && s.ownerColumn && gaveUp.has(holder.owner)) stuck.set(key, holder.owner);
  }
  return { events: h.events, stuck };

  function nextOperation(w: number, process: number, choice: number): LockOp {
    const cleanup = owedCleanup.get(w);
    if (cleanup) {
      owedCleanup.delete(w);
      gaveUp.add(cleanup.owner);
      return { f: 'release', ...cleanup };
    }
    const held = holding.get(w);
    if (held) {
      if (choice % 3 === 0) return { f: 'read', key: held.key };
      gaveUp.add(held.owner);
      return { f: 'release', ...held };
    }
    const key = keys[choice % keys.length]!;
    if (choice % 4 === 3) return { f: 'read', key };
    const attempt = nextAttempt.get(process) ?? 0;
    nextAttempt.set(process, attempt + 1);
    return { f: 'acquire', key, owner: `p${process}-${attempt}` };
  }

  function complete(p: Pending, choice: number): void {
    pending.splice(pending.indexOf(p), 1);
    const lost = choice % 3 === 0;
    if (p.result && !lost) {
      if (p.result.ok) h.ok(p.process, p.result.value);
      else h.fail(p.process);
      afterReply(p, p.result.ok);
      return;
    }
    if (!p.result && choice % 3 === 1) {
      // A definite failure: it never takes effect.
      h.fail(p.process);
      afterReply(p, false);
      return;
    }
    h.info(p.process);
    if (!p.result) floating.push(p);
    // The process is retired; its worker carries on under a fresh id.
    processOf[p.worker] = nextProcess++;
    if (p.op.f === 'acquire') {
      gaveUp.add(p.op.owner);
      if (s.cleanup) owedCleanup.set(p.worker, { key: p.op.key, owner: p.op.owner });
    } else if (p.op.f === 'release') {
      holding.delete(p.worker);
    }
  }

  function afterReply(p: Pending, ok: boolean): void {
    if (p.op.f === 'acquire') {
      if (ok) holding.set(p.worker, { key: p.op.key, owner: p.op.owner });
      else gaveUp.add(p.op.owner);
    } else if (p.op.f === 'release') {
      holding.delete(p.worker);
    }
  }
}

function pick<T>(items: T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}
