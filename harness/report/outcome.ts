// How a finished cell reads in one line, for `run`'s progress and `check DIR` alike.
import type { CellResult } from './results.ts';

/** One line on how a cell ended: verdict and anomaly kinds, against its expectation. */
export function describeOutcome(r: CellResult): string {
  const kinds = new Map<string, number>();
  for (const a of r.anomalies) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  const how = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
  const mark = r.error !== undefined ? 'ERROR' : r.met ? 'met' : 'BROKEN';
  const ops = `ops ok=${r.ops.ok} fail=${r.ops.fail} info=${r.ops.info}`;
  const p99 = r.latency_ms.p99 === null ? '' : ` p99=${r.latency_ms.p99.toFixed(1)}ms`;
  // A failed cell's reason is its error, said once at the end.
  const why = r.verdict_reason !== undefined && r.verdict_reason !== r.error ? ` [${r.verdict_reason}]` : '';
  return `${r.verdict}${how ? ` (${how})` : ''}${why}; expected ${r.expectation}: ${mark}; ${ops}${p99}${r.error !== undefined ? `; ${r.error}` : ''}`;
}
