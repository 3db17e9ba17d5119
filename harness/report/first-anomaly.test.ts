// first_anomaly_s and not_judged in results.json, and the matrix showing how soon a cell broke.
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { held, HistoryBuilder } from '../../checkers/lock/testing/history-builder.ts';
import { planFromText } from '../config/index.ts';
import { firstAnomalySeconds, summarizeCell } from './results.ts';
import { matrixGrid } from './summary.ts';

/** Two owners hold k at once; the second acquire completes 2.5 s after the meta line. */
function doubleHolderHistory(): HistoryBuilder {
  const h = new HistoryBuilder('lwt', { ttlSeconds: 0 });
  h.advance(1_000);
  h.acquire(1, 'k', 'p1-0');
  h.advance(1_500);
  h.acquire(2, 'k', 'p2-0');
  h.advance(4_000);
  h.read(3, 'k', held('p2-0'));
  return h;
}

describe('first_anomaly_s', () => {
  it('is the seconds from the meta line to the event completing the earliest witness', () => {
    const h = doubleHolderHistory();
    const { anomalies } = analyzeHistory(h.events, { ttlSeconds: 0, timeoutMs: 5_000 });
    expect(anomalies.map((a) => a.kind)).toContain('double-holder');
    // One ms per event: meta at 1 ms, the second acquire completes at 1 + 1000 + 1 + 1500 + 1 + 1 = 2505 ms.
    expect(firstAnomalySeconds(h.events, anomalies)).toBe(2.504);
    expect(firstAnomalySeconds(h.events, [])).toBeNull();
  });

  it('lands in the cell result with not_judged, and the matrix shows it', () => {
    const { plan } = planFromText(['name: t', 'recipe: lwt', 'duration_s: 5', ''].join('\n'), 't.yaml', { recipes: ['lwt'] });
    const h = doubleHolderHistory();
    const analysis = analyzeHistory(h.events, { ttlSeconds: 0, timeoutMs: 5_000 });
    const cell = summarizeCell(plan.cells[0]!, h.events, analysis);
    expect(cell.first_anomaly_s).toBe(2.504);
    expect(cell.not_judged).toEqual(['torn-row: no statement records']);
    expect(matrixGrid([cell])).toContain('first anomaly at 2.5 s');
    const clean = summarizeCell(plan.cells[0]!, [], { verdict: 'safe', anomalies: [], ops: { ok: 1, fail: 0, info: 0 } });
    expect(clean.first_anomaly_s).toBeNull();
    expect(matrixGrid([clean])).not.toContain('first anomaly');
  });
});
