// The guarded record in the report: per cell, updates lost and stale writes (issued, landed, landed
// over a newer holder), and one sentence per recipe, fault mix and TTL comparing the cells with
// and without fencing, e.g. "lwt with a 3 s TTL under pauses: 7 stale writes landed over a newer
// holder without fencing, 0 with".

import { guardedCounts } from '../../checkers/lock/guarded-sections.ts';
import type { CheckContext } from '../../checkers/lock/context.ts';
import { asPaired, type HistoryEvent, type PairedHistory } from '../../history/index.ts';
import { escapeMarkup as esc } from './escape.ts';
import type { CellResult, GuardedRecordResult } from './results.ts';

/** The cell's guarded-record counts, when its history has a guarded record; `history` as events or already paired. */
export function guardedRecordOf(history: readonly HistoryEvent[] | PairedHistory, context: CheckContext): GuardedRecordResult | undefined {
  const c = guardedCounts(asPaired(history), context);
  if (!c) return undefined;
  return {
    fencing: c.fenced,
    increments: c.increments,
    lost_updates: c.lostUpdates,
    stale_writes: { issued: c.staleIssued, landed: c.staleLanded, over_newer_holder: c.staleOverNewer, outcome_unknown: c.staleUnknown },
  };
}

const fencingOn = (c: CellResult): boolean => c.axes.fencing === 'on';
const sum = (cells: readonly CellResult[], f: (g: GuardedRecordResult) => number | null): number | null => {
  let total = 0;
  for (const c of cells) {
    const v = c.guarded_record ? f(c.guarded_record) : null;
    if (v === null) return null;
    total += v;
  }
  return total;
};
const n = (v: number | null): string => (v === null ? 'not judged' : String(v));

/** One sentence per recipe, fault mix and TTL with a guarded record; escaped HTML, empty when none. */
export function guardedSentences(cells: readonly CellResult[]): string {
  const withRecord = cells.filter((c) => c.guarded_record && c.error === undefined);
  const groupOf = (c: CellResult): string => JSON.stringify([c.axes.recipe, c.axes.ttl_s, c.axes.nemesis]);
  const groups = [...new Set(withRecord.map(groupOf))];
  return groups
    .map((g) => {
      const [recipe, ttl, nemesis] = JSON.parse(g) as string[];
      const own = withRecord.filter((c) => groupOf(c) === g);
      const ttlText = ttl === '0' ? 'without a TTL' : `with a ${ttl} s TTL`;
      const faults = nemesis === 'none' ? 'without faults' : `under ${nemesis}`;
      const part = (list: readonly CellResult[]): string => {
        const over = sum(list, (r) => r.stale_writes.over_newer_holder);
        const stale =
          over === null
            ? 'stale writes not judged (a fault moved clocks)'
            : `${over} stale writes landed over a newer holder (${n(sum(list, (r) => r.stale_writes.issued))} sent after the lease ran out, ` +
              `${n(sum(list, (r) => r.stale_writes.landed))} of them landed)`;
        const increments = sum(list, (r) => r.increments) ?? 0;
        // Zeros from cells where no critical section ever wrote would say nothing about fencing.
        if (increments === 0) return 'no critical section wrote the record, so nothing is shown';
        return `${stale} and ${n(sum(list, (r) => r.lost_updates))} updates lost of ${increments} acknowledged`;
      };
      const off = own.filter((c) => !fencingOn(c));
      const on = own.filter(fencingOn);
      const sides = [off.length ? `${part(off)} without fencing` : '', on.length ? `${part(on)} with fencing` : ''].filter(Boolean);
      return esc(`${recipe} ${ttlText} ${faults}: ${sides.join('; ')}.`);
    })
    .join(' ');
}

/** The matrix cell's line for the guarded record; empty without one. */
export function guardedStats(cell: CellResult): string {
  const g = cell.guarded_record;
  if (!g) return '';
  return (
    `<div class="stats guarded">${g.fencing ? 'fenced' : 'unfenced'} · lost ${g.lost_updates} of ${g.increments} · ` +
    `stale ${n(g.stale_writes.issued)} sent / ${n(g.stale_writes.landed)} landed / ${n(g.stale_writes.over_newer_holder)} over a newer holder</div>`
  );
}
