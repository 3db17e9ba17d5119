// A page that summarises (more operations than it draws one by one, more anomalies than it draws
// in full) must still lead to every anomaly: each has its own element, id'd by its place in the
// cell's list in results.json, in the cell's section the matrix links to or, past the first few
// dozen of a kind, on the cell's anomaly page that section links to.
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../checkers/anomaly.ts';
import { generateHistory } from '../../test/fixtures/generated-history.ts';
import { planFromText } from '../config/index.ts';
import { cellAnchor } from './anchors.ts';
import { escapeMarkup } from './escape.ts';
import { anomaliesOnPage, anomalyId, cellReportInput, DRAWN_PER_KIND, LISTED_PER_KIND, renderCellAnomalies, renderReport } from './html.ts';
import { cellAnomaliesPath, summarizeCell, type Analysis } from './results.ts';
import { collectResults } from './write.ts';

const { plan } = planFromText(
  'name: many\nrecipe: lwt\nduration_s: 20\nmatrix:\n  recipe: [write-then-delete, lwt]\nexpect:\n  recipe:\n    write-then-delete: unsafe-allowed\n',
  'test.yaml',
  { recipes: ['write-then-delete', 'lwt'] },
);

// About 20,000 operations: far past what a chart draws as dots.
const history = generateHistory({
  seed: 3,
  processes: 10,
  keys: ['k0', 'k1', 'k<2>'],
  durationMs: 40_000,
  faults: [{ fault: 'reply-lost', targets: ['n2'], startMs: 2000, endMs: 6000 }],
});

/** 260 anomalies of three kinds, each witnessed by two completions of the history. */
function manyAnomalies(): Anomaly[] {
  const completions = history.filter((e) => e.type === 'ok' || e.type === 'fail').map((e) => e.index);
  const kinds: Anomaly['kind'][] = ['double-holder', 'lost-release', 'orphaned-lock'];
  return Array.from({ length: 260 }, (_, i) => ({
    kind: kinds[i % 3]!,
    key: ['k0', 'k1', 'k<2>'][i % 3]!,
    owners: [`o${i}`],
    witness: [completions[i * 7]!, completions[i * 7 + 3]!],
    explanation: `planted anomaly ${i}`,
  }));
}

describe('a summarised report page', () => {
  it('draws the first few witnesses per kind, lists the rest, and holds an element for every anomaly', () => {
    const unsafe: Analysis = { verdict: 'unsafe', anomalies: manyAnomalies(), ops: { ok: 1, fail: 1, info: 1, byF: {} } };
    const safe: Analysis = { verdict: 'safe', anomalies: [], ops: { ok: 1, fail: 0, info: 0, byF: {} } };
    const inputs = plan.cells.map((cell, i) => cellReportInput(summarizeCell(cell, history, i === 0 ? unsafe : safe), history));
    const results = collectResults('many', '20260101-000000-many', inputs);
    const html = renderReport(results, inputs, '2026-01-01T00:00:00Z');

    // It says what it summarised: operations drawn as bands, witnesses drawn for only some anomalies.
    const note = /<p class="muted summarised"[^>]*>Summarised: ([^<]+)<\/p>/.exec(html);
    expect(note).not.toBeNull();
    expect(note![1]).toContain('operations drawn one by one');
    expect(note![1]).toContain(`witness timelines drawn for ${3 * DRAWN_PER_KIND} of 260 anomalies, the rest listed`);

    const onPage = 3 * (DRAWN_PER_KIND + LISTED_PER_KIND);
    expect(note![1]).toContain(`past ${DRAWN_PER_KIND + LISTED_PER_KIND} of a kind, on the anomaly page of the cell`);
    for (const cell of results.cells) {
      const section = new RegExp(`<section class="cell" id="${cellAnchor(cell.name)}">[\\s\\S]*?</section>`).exec(html)?.[0];
      expect(section, cell.name).toBeDefined();
      expect(html).toContain(`href="#${cellAnchor(cell.name)}"`);
      const shown = anomaliesOnPage(cell.anomalies);
      const page = renderCellAnomalies(results.name, cell);
      if (shown.size < cell.anomalies.length) expect(section).toContain(`href="${cellAnomaliesPath(cell.name)}"`);
      else expect(section).not.toContain('anomalies.html');
      cell.anomalies.forEach((a, i) => {
        const element = (text: string) => new RegExp(`<(div|li)[^>]* id="${anomalyId(cell.name, i)}" data-kind="${a.kind}"[^>]*>([\\s\\S]*?)</\\1>`).exec(text);
        // On the cell's page, every one; in its section, exactly the first few dozen of each kind.
        expect(element(page)![2], `${cell.name} anomaly ${i} on its page`).toContain(`<code>${escapeMarkup(a.key)}</code>`);
        if (shown.has(a)) expect(element(section!)![2], `${cell.name} anomaly ${i}`).toContain(`<code>${escapeMarkup(a.key)}</code>`);
        else expect(element(section!), `${cell.name} anomaly ${i} left to its page`).toBeNull();
      });
    }
    expect(html.match(/<div class="anomaly"/g)).toHaveLength(3 * DRAWN_PER_KIND);
    expect(html.match(/<ul class="more-anomalies">[\s\S]*?<\/ul>/g)!.join('').match(/<li /g)).toHaveLength(onPage - 3 * DRAWN_PER_KIND);
  });
});
