// The replica forensics of one anomaly, as the report shows them: every replica's row in the
// seed's notation (`n1[Lock a], n2[Lock a], n3[]`), which consistency levels would see the lock,
// or why the replicas were not read.
import type { Anomaly } from '../../checkers/anomaly.ts';
import type { AnomalyWithReplicas } from '../../checkers/lock/replica-rows.ts';
import { escapeMarkup as esc } from './escape.ts';

export function replicaRowsHtml(anomaly: Anomaly): string {
  const a = anomaly as AnomalyWithReplicas;
  if (a.forensics_not_taken !== undefined) return `<p class="muted replica-rows">Replicas not read one by one: ${esc(a.forensics_not_taken)}.</p>`;
  if (a.replica_notation === undefined) return '';
  const errors = Object.entries(a.replica_errors ?? {}).map(([n, e]) => `${n}: ${e}`);
  const seen = a.seen_at ? ` Seen at ONE: ${a.seen_at.ONE}; QUORUM: ${a.seen_at.QUORUM}; ALL: ${a.seen_at.ALL}.` : '';
  return (
    `<p class="replica-rows">Each replica on its own, before the final reads: <code>${esc(a.replica_notation)}</code>.${esc(seen)}` +
    `${errors.length ? ` No answer from ${esc(errors.join('; '))}.` : ''}</p>`
  );
}

/** One plain line per key whose replicas were read (or not), for `check DIR` and the console. */
export function replicaRowsLines(anomalies: readonly Anomaly[]): string[] {
  const byKey = new Map<string, string>();
  for (const anomaly of anomalies) {
    const a = anomaly as AnomalyWithReplicas;
    if (byKey.has(a.key)) continue;
    if (a.replica_notation !== undefined) byKey.set(a.key, `${a.key} replicas: ${a.replica_notation}${a.seen_at ? ` (ONE: ${a.seen_at.ONE}; QUORUM: ${a.seen_at.QUORUM}; ALL: ${a.seen_at.ALL})` : ''}`);
    else if (a.forensics_not_taken !== undefined) byKey.set(a.key, `${a.key} replicas not read: ${a.forensics_not_taken}`);
  }
  return [...byKey.values()];
}
