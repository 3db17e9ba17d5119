// writeReports keeps report.html's size independent of the number of anomalies: a cell with more
// than the page lists gets its own page beside its history, written with the other outputs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../checkers/anomaly.ts';
import { generateHistory } from '../../test/fixtures/generated-history.ts';
import { planFromText } from '../config/index.ts';
import { anomalyId, cellReportInput, DRAWN_PER_KIND, LISTED_PER_KIND } from './html.ts';
import { cellAnomaliesPath, summarizeCell } from './results.ts';
import { collectResults, writeReports } from './write.ts';

const { plan } = planFromText(
  'name: pages\nrecipe: lwt\nduration_s: 5\nmatrix:\n  recipe: [write-then-delete, lwt]\nexpect:\n  default: unsafe-allowed\n',
  'test.yaml',
  { recipes: ['write-then-delete', 'lwt'] },
);
const history = generateHistory({ seed: 5, processes: 4, keys: ['k0', 'k1'], durationMs: 5_000, faults: [] });
const completions = history.filter((e) => e.type === 'ok' || e.type === 'fail').map((e) => e.index);

function anomalies(n: number): Anomaly[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'double-holder',
    key: `k${i % 2}`,
    owners: [`p${i}-1`, `p${i + 1}-2`],
    witness: [completions[i]!, completions[i + 1]!],
    explanation: `planted ${i}`,
  }));
}

function inputsWith(counts: number[]) {
  return plan.cells.map((cell, i) =>
    cellReportInput(summarizeCell(cell, history, { verdict: 'unsafe', anomalies: anomalies(counts[i]!), ops: { ok: 1, fail: 0, info: 0 } }), history),
  );
}

describe('the anomaly page of a cell', () => {
  it('is written for a cell with more anomalies than report.html lists, with every one of them, and linked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstorm-pages-'));
    const many = DRAWN_PER_KIND + LISTED_PER_KIND + 57;
    const inputs = inputsWith([many, 5]);
    const results = collectResults('pages', '20260101-000000-pages', inputs);
    await writeReports(dir, results, inputs);

    const [big, small] = results.cells;
    const page = readFileSync(join(dir, cellAnomaliesPath(big!.name)), 'utf8');
    expect(page.match(/<li /g)).toHaveLength(many);
    for (let i = 0; i < many; i++) expect(page).toContain(`id="${anomalyId(big!.name, i)}"`);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain(`href="${cellAnomaliesPath(big!.name)}"`);
    expect(report).toContain('57 more past the first 43 of each kind');
    expect(report).not.toContain(`id="${anomalyId(big!.name, many - 1)}"`);
    // Five fit on the page: no page of their own, and no link to one.
    expect(existsSync(join(dir, cellAnomaliesPath(small!.name)))).toBe(false);
    expect(report).not.toContain(cellAnomaliesPath(small!.name));
  });

  it('is never written over a recorded history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstorm-pages-'));
    const inputs = inputsWith([DRAWN_PER_KIND + LISTED_PER_KIND + 1, 0]);
    const results = collectResults('pages', '20260101-000000-pages', inputs);
    const target = cellAnomaliesPath(results.cells[0]!.name);
    mkdirSync(join(dir, target, '..'), { recursive: true });
    writeFileSync(join(dir, target), 'recorded\n');
    results.cells[0] = { ...results.cells[0]!, history: target };
    await expect(writeReports(dir, results, inputs)).rejects.toThrow(/refusing to write .*anomalies\.html: it is the input/);
    expect(readFileSync(join(dir, target), 'utf8')).toBe('recorded\n');
  });
});
