// What the holders did to the records their locks guard, judged from the guarded operations
// (history/guarded.ts) and the acquires they ran under. Shared by the lost-update and
// stale-holder checkers and by the report's counts, so that all three agree on every number.

import { metaOf, type GuardedOperation, type LockOperation, type OwnerOperation, type PairedHistory } from '../../history/index.ts';
import type { Anomaly } from '../anomaly.ts';
import type { CheckContext } from './context.ts';
import { eventsOf, witness } from './operations.ts';

export interface StaleWrite {
  write: GuardedOperation;
  acquire: OwnerOperation;
  /** Monotonic nanoseconds by which the lease had surely run out (history/ttl.ts). */
  expiredBy: number;
  /** Another holder, acquired after this one, had read the record before this write was sent. */
  newer: GuardedOperation | undefined;
}

export interface GuardedFindings {
  /** Whether the history has guarded operations at all. */
  guarded: boolean;
  /** Whether any guarded write presented a fencing token. */
  fenced: boolean;
  /** Guarded writes sent after the writer's lease had surely expired; null when not judged (clocks moved). */
  stale: StaleWrite[] | null;
  lostUpdates: Anomaly[];
  /** Per key: increments lost (at least). */
  lostByKey: Map<string, number>;
  /** Acknowledged increments (ok guarded writes of a counter above 0), over every key. */
  increments: number;
  notJudged: string[];
}

const NS_PER_S = 1e9;

function seconds(ns: number): string {
  return `${(ns / NS_PER_S).toFixed(1)} s`;
}

export function guardedFindings(history: PairedHistory, context: CheckContext): GuardedFindings {
  const ops = history.guarded;
  // The cell's own setting when the meta line has it: a fenced cell whose holders never got to write is still fenced.
  const fenced = metaOf(history.frame)?.params['fencing'] === true || ops.some((o) => o.token !== undefined);
  const findings: GuardedFindings = { guarded: ops.length > 0, fenced, stale: [], lostUpdates: [], lostByKey: new Map(), increments: 0, notJudged: [] };
  if (ops.length === 0) return findings;
  const acquires = new Map<string, OwnerOperation>();
  for (const op of history.ops) if (isOkAcquire(op)) acquires.set(op.owner, op);
  findings.stale = context.clocksMoved ? null : staleWrites(ops, acquires, context);
  if (context.clocksMoved) findings.notJudged.push('stale-holder: a fault moved node clocks, so lease ends are not known');
  lostUpdates(ops, findings);
  return findings;
}

function isOkAcquire(op: LockOperation): op is OwnerOperation {
  return op.f === 'acquire' && op.outcome === 'ok';
}

function staleWrites(ops: readonly GuardedOperation[], acquires: ReadonlyMap<string, OwnerOperation>, context: CheckContext): StaleWrite[] {
  const out: StaleWrite[] = [];
  const reads = ops.filter((o) => o.f === 'guarded-read' && !o.final && o.outcome === 'ok' && o.owner !== undefined);
  for (const write of ops) {
    if (write.f !== 'guarded-write' || write.final || write.owner === undefined) continue;
    const acquire = acquires.get(write.owner);
    if (!acquire) continue;
    const expiredBy = context.ttl.latestExpiry({ outcome: 'ok', completeTime: acquire.completeTime });
    if (!(write.invokeTime > expiredBy)) continue;
    const newer = reads.find((r) => {
      if (r.key !== write.key || r.owner === write.owner || !(r.completeTime < write.invokeTime)) return false;
      const theirs = acquires.get(r.owner!);
      return theirs !== undefined && theirs.invokeTime > acquire.completeTime;
    });
    out.push({ write, acquire, expiredBy, newer });
  }
  return out;
}

/** A stale write that landed after a newer holder had read the record: what fencing must prevent. */
export function staleHolderAnomaly(s: StaleWrite): Anomaly {
  const { write, acquire, newer } = s;
  const late = seconds(write.invokeTime - s.expiredBy);
  const token = write.token !== undefined ? ` under fencing token ${write.token}` : '';
  return {
    kind: 'stale-holder',
    key: write.key,
    owners: [write.owner!, ...(newer?.owner ? [newer.owner] : [])],
    witness: witness(eventsOf(acquire), [write.invoke, write.completion ?? write.invoke], newer ? [newer.invoke, newer.completion!] : []),
    explanation:
      `${write.owner}'s lease on ${write.key} had run out ${late} before it wrote counter ${write.counter}${token} (event ${write.invoke}), ` +
      `and the write landed although ${newer?.owner}, which acquired the lock later, had already read the record (event ${newer?.completion}).`,
  };
}

function lostUpdates(ops: readonly GuardedOperation[], findings: GuardedFindings): void {
  const keys = [...new Set(ops.map((o) => o.key))].sort();
  for (const key of keys) {
    const acked = ops.filter((o) => o.key === key && o.f === 'guarded-write' && !o.final && o.outcome === 'ok' && (o.counter ?? 0) > 0);
    findings.increments += acked.length;
    let lost = 0;
    const byCounter = new Map<number, GuardedOperation[]>();
    for (const w of acked) byCounter.set(w.counter!, [...(byCounter.get(w.counter!) ?? []), w]);
    let duplicated = 0;
    for (const [counter, writes] of byCounter) {
      if (new Set(writes.map((w) => w.owner)).size < 2) continue;
      duplicated += writes.length - 1;
      findings.lostUpdates.push({
        kind: 'lost-update',
        key,
        owners: writes.map((w) => w.owner!),
        witness: witness(...writes.map((w) => [w.invoke, w.completion!])),
        explanation: `${writes.length} critical sections on ${key} (${writes.map((w) => w.owner).join(', ')}) each read counter ${counter - 1} and each wrote ${counter} with acknowledgement: all but one of those increments are lost.`,
      });
    }
    lost = duplicated;
    const finals = ops.filter((o) => o.key === key && o.f === 'guarded-read' && o.final && o.outcome === 'ok');
    const last = finals[finals.length - 1];
    if (!last) {
      findings.notJudged.push(`lost-update: no final read of ${key}'s guarded record answered`);
    } else {
      const value = last.value?.counter ?? 0;
      const shortfall = acked.length - value;
      if (shortfall > 0) {
        const top = acked.reduce((a, b) => (b.counter! > a.counter! ? b : a), acked[0]!);
        findings.lostUpdates.push({
          kind: 'lost-update',
          key,
          owners: [],
          witness: witness([top.invoke, top.completion!], [last.invoke, last.completion!]),
          explanation: `${acked.length} increments of ${key}'s guarded counter were acknowledged, yet its final value read at ALL is ${value} (event ${last.completion}): at least ${shortfall} acknowledged updates are lost.`,
        });
        lost = Math.max(lost, shortfall);
      }
    }
    if (lost > 0) findings.lostByKey.set(key, lost);
  }
}

/** Per cell: updates lost, and stale writes issued, landed, landed over a newer holder, outcome unknown. */
export interface GuardedCounts {
  fenced: boolean;
  /** Acknowledged increments: how many critical sections the other counts rest on. */
  increments: number;
  lostUpdates: number;
  staleIssued: number | null;
  staleLanded: number | null;
  staleOverNewer: number | null;
  staleUnknown: number | null;
}

export function guardedCounts(history: PairedHistory, context: CheckContext): GuardedCounts | null {
  const f = guardedFindings(history, context);
  if (!f.guarded) return null;
  const stale = f.stale;
  return {
    fenced: f.fenced,
    increments: f.increments,
    lostUpdates: [...f.lostByKey.values()].reduce((a, b) => a + b, 0),
    staleIssued: stale ? stale.length : null,
    staleLanded: stale ? stale.filter((s) => s.write.outcome === 'ok').length : null,
    staleOverNewer: stale ? stale.filter((s) => s.write.outcome === 'ok' && s.newer).length : null,
    staleUnknown: stale ? stale.filter((s) => s.write.outcome === 'info').length : null,
  };
}
