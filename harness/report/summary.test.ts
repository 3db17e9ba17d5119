// The report read at a glance: one sentence per recipe naming the axis values it broke under,
// a matrix that keeps every axis and every cell visible however many axes vary, cell settings in
// words, and a one-line anomaly headline for CI.
import { describe, expect, it } from 'vitest';
import type { Anomaly, AnomalyKind } from '../../checkers/anomaly.ts';
import { planFromText } from '../config/index.ts';
import type { PlannedCell } from '../config/expand.ts';
import { cellAnchor, cellReportPath } from './anchors.ts';
import { faultMixWords, renderReport, timestampWords } from './html.ts';
import { summarizeCell, type CellResult } from './results.ts';
import { anomalyHeadline, axisSplits, headline, matrixGrid } from './summary.ts';

const KNOWN = { recipes: ['write-then-delete', 'lwt-ttl-plain-release', 'lwt'] };

function anomaly(kind: AnomalyKind, key: string, witness: number[], owners = ['p1-1', 'p2-1']): Anomaly {
  return { kind, key, owners, witness, explanation: `${kind} on ${key}` };
}

/** A cell result as the run would give it; `broke` decides unsafe (with those anomalies) or safe. */
function result(cell: PlannedCell, anomalies: Anomaly[]): CellResult {
  const verdict = anomalies.length ? 'unsafe' : 'safe';
  return summarizeCell(cell, [], { verdict, anomalies, ops: { ok: 100, fail: 0, info: 0 } });
}

const plain = (html: string): string => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');

describe('the headline', () => {
  const { plan } = planFromText(
    [
      'name: glance',
      'recipe: lwt',
      'duration_s: 20',
      'nemeses:',
      '  links: {faults: [link], on_s: 4, off_s: 4}',
      '  partitions: {faults: [partition-isolate], on_s: 5, off_s: 5}',
      'matrix:',
      '  recipe: [write-then-delete, lwt-ttl-plain-release, lwt]',
      '  write_cl: [ONE, QUORUM]',
      '  timestamps: [server, tie]',
      '  nemesis: [links, partitions]',
      'expect:',
      '  recipe:',
      '    write-then-delete: unsafe-allowed',
      '    lwt-ttl-plain-release: unsafe-allowed',
      '',
    ].join('\n'),
    'glance.yaml',
    KNOWN,
  );
  const cells = plan.cells.map((c) => {
    if (c.axes.recipe === 'write-then-delete') return result(c, [anomaly('double-holder', 'k0', [3, 9]), anomaly('resurrected-lock', 'k1', [12, 20])]);
    if (c.axes.recipe === 'lwt-ttl-plain-release') return result(c, c.axes.timestamps === 'tie' ? [anomaly('lost-release', 'k2', [4, 8])] : []);
    // lwt: one stray break that no single axis value explains.
    return result(c, c.axes.write_cl === 'ONE' && c.axes.nemesis === 'links' && c.axes.timestamps === 'tie' ? [anomaly('double-holder', 'k3', [5, 6])] : []);
  });

  it('says per recipe how many cells broke, the kinds, and the axis values it broke or held under', () => {
    const sentences = plain(headline(cells));
    expect(sentences).toContain('write-then-delete broke in 8 of 8 cells (double-holder, resurrected-lock): at every write_cl, timestamps and nemesis.');
    expect(sentences).toContain('lwt-ttl-plain-release broke in 4 of 8 cells (lost-release): only under timestamps tie; held under server.');
    expect(sentences).toContain('lwt broke in 1 of 8 cells (double-holder; all against a safe expectation): held under write_cl QUORUM, timestamps server and nemesis partitions.');
    // One short sentence per recipe, not one clause per cell.
    expect(sentences.split(/\.\s/).length).toBe(3);
    expect(sentences.split(/\s+/).length).toBeLessThan(70);
  });

  it('says so when no axis value holds or breaks throughout', () => {
    const lwt = plan.cells.filter((c) => c.axes.recipe === 'lwt').map((c, i) => result(c, i % 3 === 0 ? [anomaly('torn-row', 'k1', [2, 3])] : []));
    expect(plain(headline(lwt))).toBe('lwt broke in 3 of 8 cells (torn-row; all against a safe expectation): no single axis value tells where (see the matrix).');
  });

  it('finds, per axis, the values where every cell broke and where every cell held', () => {
    const ttl = cells.filter((c) => c.axes.recipe === 'lwt-ttl-plain-release');
    expect(axisSplits(ttl)).toEqual([
      { axis: 'write_cl', broke: [], held: [], decides: false },
      { axis: 'timestamps', broke: ['tie'], held: ['server'], decides: true },
      { axis: 'nemesis', broke: [], held: [], decides: false },
    ]);
  });

  it('a recipe that held everywhere, or stayed undecided, says so', () => {
    const lwt = plan.cells.filter((c) => c.axes.recipe === 'lwt').map((c) => result(c, []));
    expect(plain(headline(lwt))).toBe('lwt held in all 8 cells.');
    lwt[0] = { ...lwt[0]!, verdict: 'unknown', met: false, verdict_reason: 'cut short: no end line' };
    expect(plain(headline(lwt))).toBe('lwt held in 7 of 8 cells; 1 undecided.');
  });
});

describe('the matrix with five axes varying', () => {
  const { plan } = planFromText(
    [
      'name: five',
      'recipe: lwt',
      'duration_s: 20',
      'nemeses:',
      '  links: {faults: [link], on_s: 4, off_s: 4}',
      '  partitions: {faults: [partition-isolate, partition-majority], on_s: 5, off_s: 5}',
      'matrix:',
      '  recipe: [write-then-delete, lwt-ttl-plain-release, lwt]',
      '  write_cl: [ONE, QUORUM]',
      '  serial_cl: [SERIAL, LOCAL_SERIAL]',
      '  paxos_variant: [v1, v2]',
      '  nemesis: [links, partitions]',
      '',
    ].join('\n'),
    'five.yaml',
    KNOWN,
  );
  const cells = plan.cells.map((c, i) => result(c, i % 3 === 0 ? [anomaly('double-holder', 'k0', [i + 1, i + 2])] : []));

  it('draws one table per value of the remaining axes, and every cell appears in it exactly once', () => {
    expect(cells).toHaveLength(48);
    const html = matrixGrid(cells);
    expect(html.match(/<table class="matrix"/g)).toHaveLength(8);
    for (const c of cells) expect(html.match(new RegExp(`data-cell="${c.name}"`, 'g')), c.name).toHaveLength(1);
    // Every axis is named: two as the tables' rows and columns, three in each caption.
    expect(html).toContain('recipe \\ write_cl');
    for (const v of ['SERIAL', 'LOCAL_SERIAL', 'v1', 'v2', 'links', 'partitions']) expect(html).toContain(`<b>${v}</b>`);
    // Each cell sits in the table whose caption carries its values.
    const tables = html.split('<table class="matrix"').slice(1);
    for (const c of cells) {
      const t = tables.find((x) => x.includes(`data-cell="${c.name}"`))!;
      expect(t).toContain(`<b>${c.axes.serial_cl}</b>`);
      expect(t).toContain(`<b>${c.axes.paxos_variant}</b>`);
      expect(t).toContain(`<b>${c.axes.nemesis}</b>`);
    }
  });

  it('in the page: the matrix section links every cell to its section', () => {
    const html = renderReport({ name: 'five', run: 'r', met: false, cells }, cells.map((result) => ({ result, events: [] })), '2026-01-01T00:00:00Z');
    const matrix = html.slice(html.indexOf('id="matrix"'), html.indexOf('<section class="cell"'));
    for (const c of cells) {
      expect(matrix).toContain(`href="#${cellAnchor(c.name)}"`);
      expect(html).toContain(`<section class="cell" id="${cellAnchor(c.name)}">`);
    }
  });

  it('the cell header names the fault mix and timestamps in words', () => {
    const html = renderReport({ name: 'five', run: 'r', met: false, cells }, cells.map((result) => ({ result, events: [] })), '2026-01-01T00:00:00Z');
    expect(html).toContain('<dd>links: reply-lost, request-lost, reset, latency, link-down, reply-lost-then-down — 4 s on / 4 s off, any link, latency +5 s, reset either direction, replies lost 300 ms before the link goes down</dd>');
    expect(html).toContain('<dd>partitions: partition-isolate, partition-majority — 5 s on / 5 s off</dd>');
    expect(html).toContain('<dd>server (each node stamps its own writes)</dd>');
    expect(html).not.toMatch(/<dd>\{&quot;/);
  });
});

describe('words for settings', () => {
  it('fault mixes: faults spelled out, timing, and only the params those faults read', () => {
    expect(faultMixWords({ faults: ['reply-lost', 'request-lost', 'link-down'], onMs: 4000, offMs: 4000 })).toBe('reply-lost, request-lost, link-down — 4 s on / 4 s off, any link');
    expect(faultMixWords({ faults: ['clock-skew'], onMs: 2500, offMs: 500, params: { maxSkewMs: 250, skewTargets: 'one' } })).toBe(
      'clock-skew — 2.5 s on / 500 ms off, skew on one node, up to 250 ms, either direction',
    );
    expect(faultMixWords(null)).toBe('none');
    // A mix this lockstorm does not know is shown as recorded rather than dropped.
    expect(faultMixWords({ faults: ['meteor'], onMs: 1000, offMs: 1000 })).toBe('meteor — 1 s on / 1 s off');
  });

  it('timestamp modes', () => {
    expect(timestampWords({ kind: 'tie' })).toMatch(/^tie \(/);
    expect(timestampWords({ kind: 'skewed', offsetMs: -250 })).toBe('driver, clock skewed by −250 ms');
    expect(timestampWords({ kind: 'quantized', unitMs: 1000 })).toBe('driver, rounded down to 1 s');
  });
});

describe('the anomaly headline', () => {
  const anomalies = [
    anomaly('double-holder', 'k2', [40, 41], ['p8-7', 'p2-9']),
    anomaly('double-holder', 'k0', [10, 19], ['p1-1', 'p3-2']),
    anomaly('lost-release', 'k0', [30, 33], ['p4-4']),
    anomaly('double-holder', 'k0', [50, 52]),
  ];

  it('counts each kind with its keys, then names the earliest proven anomaly and when', () => {
    const times = new Map([[19, 1.9e9]]);
    expect(anomalyHeadline(anomalies, (i) => times.get(i))).toBe('double-holder ×3 on k2, k0; lost-release ×1 on k0 — first: p1-1 and p3-2 both held k0 at 1.9 s');
    expect(anomalyHeadline(anomalies)).toBe('double-holder ×3 on k2, k0; lost-release ×1 on k0 — first: p1-1 and p3-2 both held k0');
  });

  it('stays one short line with many keys and hostile text', () => {
    const many = Array.from({ length: 40 }, (_, i) => anomaly('double-holder', `key\n${i}`, [i + 1, i + 2]));
    const line = anomalyHeadline(many);
    expect(line).not.toMatch(/\n/);
    expect(line.length).toBeLessThanOrEqual(240);
    expect(line).toContain('+37 more');
  });
});

describe('anchors', () => {
  it('are stable, plain for real cell names, and distinct for names that differ only in odd characters', () => {
    expect(cellReportPath('lwt_w-ONE_paxos-v2')).toBe('report.html#cell-lwt_w-ONE_paxos-v2');
    const odd = ['a b', 'a~20~b', 'a"b', 'a<b'];
    const anchors = odd.map(cellAnchor);
    expect(new Set(anchors).size).toBe(odd.length);
    for (const a of anchors) expect(a).toMatch(/^cell-[A-Za-z0-9._~-]+$/);
  });
});
