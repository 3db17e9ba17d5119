// Replica forensics, judged: which keys deserve a look at each replica on its own (the anomalies
// whose story is "some replicas hold the lock, some do not"), and what the recorded forensic
// reads say about each such anomaly — every replica's row, in the seed's notation, and which
// consistency levels would see the lock. Pure: the runner takes the reads, the report shows them,
// and both come here, so `run`, `report DIR` and `check DIR` say the same from the history alone.

import type { ForensicEvent, HistoryEvent, JsonValue } from '../../history/index.ts';
import type { Anomaly, AnomalyKind } from '../anomaly.ts';

/** The anomalies whose key gets its replicas read one by one. */
export const FORENSIC_KINDS: readonly AnomalyKind[] = ['ghost-lock', 'resurrected-lock', 'orphaned-lock', 'torn-row'];

export type ReplicaRow = Record<string, JsonValue> | null;

/** What the forensic reads of one key found, as results.json carries it on the anomaly. */
export interface ReplicaForensics {
  /** Each replica read on its own: its row, null when it holds none. Only replicas that answered. */
  replica_rows?: Record<string, ReplicaRow>;
  /** Replicas whose read got no answer, and why: not "no row". */
  replica_errors?: Record<string, string>;
  /** The replicas as the seed wrote them, e.g. `n1[Lock a], n2[Lock a], n3[]`. */
  replica_notation?: string;
  /** Which consistency levels would see the lock, given those rows. */
  seen_at?: { ONE: string; QUORUM: string; ALL: string };
  /** Why the replicas of this key were not read: never read as "they hold nothing". */
  forensics_not_taken?: string;
}

export type AnomalyWithReplicas = Anomaly & ReplicaForensics;

/** Keys carrying an anomaly of a forensic kind, sorted. */
export function forensicKeys(anomalies: readonly Anomaly[]): string[] {
  return [...new Set(anomalies.filter((a) => FORENSIC_KINDS.includes(a.kind)).map((a) => a.key))].sort();
}

interface ReplicaRead {
  node: string;
  held: string | null;
  row: ReplicaRow;
}

interface KeyForensics {
  reads: ReplicaRead[];
  errors: Map<string, string>;
  notTaken?: string;
}

function byKey(events: readonly HistoryEvent[]): Map<string, KeyForensics> {
  const out = new Map<string, KeyForensics>();
  for (const e of events) {
    if (e.type !== 'forensic') continue;
    const k = out.get(e.key) ?? { reads: [], errors: new Map<string, string>() };
    out.set(e.key, k);
    record(k, e);
  }
  return out;
}

function record(k: KeyForensics, e: ForensicEvent): void {
  if (e.not_taken !== undefined) {
    k.notTaken = e.not_taken;
    return;
  }
  const node = e.node!;
  if (e.value !== undefined) {
    // A later answer from the same replica replaces an earlier one (there is one per key and node).
    k.reads = [...k.reads.filter((r) => r.node !== node), { node, held: heldBy(e.value), row: e.value.row }];
    k.errors.delete(node);
  } else if (!k.reads.some((r) => r.node === node)) {
    k.errors.set(node, e.error!);
  }
}

function heldBy(v: NonNullable<ForensicEvent['value']>): string | null {
  if (v.state !== 'held') return null;
  return typeof v.owner === 'string' ? v.owner : '';
}

/** `n1[Lock a], n2[], n3[?]`: the seed's notation; `?` a replica that did not answer. */
function notation(k: KeyForensics, nodes: readonly string[]): string {
  return nodes
    .map((n) => {
      const r = k.reads.find((x) => x.node === n);
      if (!r) return `${n}[?]`;
      if (r.held !== null) return `${n}[Lock${r.held ? ` ${r.held}` : ''}]`;
      return r.row === null ? `${n}[]` : `${n}[free]`;
    })
    .join(', ');
}

function pairs<T>(xs: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push([xs[i]!, xs[j]!]);
  return out;
}

/**
 * Which levels see the lock. A replica without the lock is read as holding something newer (the
 * delete or release that reached it, as in the seed), so a read sees the lock only when every
 * replica it asks holds it. A replica that never got the lock write at all would reconcile the
 * other way; the rows alone cannot tell the two apart, and the sentence says so.
 */
function seenAt(k: KeyForensics, nodes: readonly string[]): ReplicaForensics['seen_at'] {
  const answered = nodes.filter((n) => k.reads.some((r) => r.node === n));
  const holders = answered.filter((n) => k.reads.find((r) => r.node === n)!.held !== null);
  const unknown = nodes.length - answered.length;
  const caveat = unknown > 0 ? ` (${unknown} replica(s) did not answer)` : '';
  const one = holders.length === 0 ? 'no replica holds it' : `through ${holders.join(', ')} (${holders.length} of ${nodes.length} replicas)`;
  const allPairs = pairs(nodes);
  const lockedPairs = allPairs.filter(([a, b]) => holders.includes(a) && holders.includes(b));
  const quorum =
    lockedPairs.length === 0
      ? 'no replica pair holds it on both sides'
      : `${lockedPairs.length} of ${allPairs.length} replica pairs (${lockedPairs.map(([a, b]) => `${a}+${b}`).join(', ')})`;
  const all = holders.length === nodes.length ? 'yes: every replica holds it' : 'no: a replica without it is asked';
  const rule = holders.length > 0 && holders.length < nodes.length ? '; a replica without the lock read as holding the newer delete' : '';
  return { ONE: one + caveat, QUORUM: quorum + caveat + rule, ALL: all + caveat + rule };
}

function forensicsOf(k: KeyForensics | undefined, nodes: readonly string[]): ReplicaForensics {
  if (!k) return { forensics_not_taken: 'no replica of this key was read: the anomaly showed only after the forensic reads, or the history has none' };
  if (k.notTaken !== undefined && k.reads.length === 0 && k.errors.size === 0) return { forensics_not_taken: k.notTaken };
  const rows: Record<string, ReplicaRow> = {};
  for (const n of nodes) {
    const r = k.reads.find((x) => x.node === n);
    if (r) rows[n] = r.row;
  }
  return {
    replica_rows: rows,
    ...(k.errors.size > 0 ? { replica_errors: Object.fromEntries([...k.errors].sort()) } : {}),
    replica_notation: notation(k, nodes),
    seen_at: seenAt(k, nodes),
  };
}

/** The anomalies, those of a forensic kind carrying what the history's forensic reads found. */
export function withReplicaRows(anomalies: readonly Anomaly[], events: readonly HistoryEvent[]): AnomalyWithReplicas[] {
  const found = byKey(events);
  const nodes = [...new Set([...found.values()].flatMap((k) => [...k.reads.map((r) => r.node), ...k.errors.keys()]))].sort();
  return anomalies.map((a) => (FORENSIC_KINDS.includes(a.kind) ? { ...a, ...forensicsOf(found.get(a.key), nodes) } : a));
}
