// Data shown to people (terminal lines, report.html, junit.xml) never carries a working control or
// bidi character; the charts stay bounded whatever the history's times.
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../checkers/anomaly.ts';
import { latencyChart, niceStep, PLOT_COLUMNS, throughputChart, witnessTimeline } from './charts.ts';
import { escapeMarkup, escapeVisible, visibleJson } from './escape.ts';
import type { Op } from './ops.ts';

const FORGED = 'p1-1\x1b[1A\x1b[2K\rok';
const REVERSED = 'owner\u202etxt.exe';

describe('escapeVisible', () => {
  it('shows ESC, CR, DEL, C1 and bidi characters as escapes, keeps the rest', () => {
    expect(escapeVisible(FORGED)).toBe('p1-1\\x1b[1A\\x1b[2K\\x0dok');
    expect(escapeVisible(REVERSED)).toBe('owner\\u202etxt.exe');
    expect(escapeVisible('a\x7fb\x9bc\u2066d\u200fe\ufeff')).toBe('a\\x7fb\\x9bc\\u2066d\\u200fe\\ufeff');
    expect(escapeVisible('naïve 鍵 🔒 <b>')).toBe('naïve 鍵 🔒 <b>');
    expect(escapeVisible('a\nb\tc')).toBe('a\\x0ab\\x09c');
    expect(escapeVisible('a\nb\tc', { keepLayout: true })).toBe('a\nb\tc');
    expect(escapeVisible('lone \ud800 surrogate')).toBe('lone \\ud800 surrogate');
  });

  it('markup: entities and visible escapes together, no raw control or bidi left', () => {
    const out = escapeMarkup(`<i>${FORGED}</i>${REVERSED}`);
    expect(out).toBe('&lt;i&gt;p1-1\\x1b[1A\\x1b[2K\\x0dok&lt;/i&gt;owner\\u202etxt.exe');
  });

  it('JSON lines: the same value once parsed, nothing invisible printed', () => {
    const value = { owner: FORGED, key: REVERSED, c1: '\x85' };
    const line = visibleJson(value);
    expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});

/** Subpaths drawn by the chart's paths of a class (one per dot, band or background bar), checked against their data-n. */
function segments(svg: string, cls: string): number {
  let n = 0;
  for (const m of svg.matchAll(new RegExp(`<path class="${cls}" data-n="(\\d+)"[^>]* d="([^"]*)"`, 'g'))) {
    const drawn = m[2]!.split('M').length - 1;
    expect(drawn).toBe(Number(m[1]));
    n += drawn;
  }
  return n;
}

function op(i: number, start: number, end: number, type: Op['type'] = 'ok'): Op {
  return { process: i % 7, f: 'acquire', key: 'k', owner: `o${i}`, type, final: false, start, end, invokeIndex: 2 * i + 1, completeIndex: 2 * i + 2 };
}

describe('charts on huge times', () => {
  it('a history spanning 1e17 ns (three years) bins by pixel, not by second', () => {
    const ops = Array.from({ length: 20_000 }, (_, i) => op(i, i * 5e12, i * 5e12 + (i % 50 === 0 ? 9e15 : 2e6), i % 9 === 0 ? 'info' : 'ok'));
    const t1 = 1e17;
    const latency = latencyChart(ops, [{ fault: 'kill', targets: ['n1'], start: 0, end: 5e16, startIndex: 0, stopIndex: 1 }], t1, 1000);
    expect(latency.total).toBe(20_000);
    expect(latency.exact).toBe(0);
    expect(segments(latency.svg, 'band')).toBeGreaterThan(0);
    expect(segments(latency.svg, 'band')).toBeLessThanOrEqual(3 * PLOT_COLUMNS);
    expect(latency.svg).not.toMatch(/NaN|Infinity/);
    const throughput = throughputChart(ops, [], t1);
    expect(throughput.buckets).toBe(PLOT_COLUMNS);
    expect(throughput.bucketNs).toBeCloseTo(t1 / PLOT_COLUMNS);
    expect(throughput.svg).not.toMatch(/NaN|Infinity/);
    // Ticks stay a dozen at most.
    expect(throughput.svg.match(/class="tick" text-anchor="middle"/g)!.length).toBeLessThanOrEqual(13);
  });

  it('times at the edge of the double range still give a finite picture', () => {
    const ops = [op(0, 0, Number.MAX_SAFE_INTEGER), op(1, 1e300, 1.7e308, 'fail')];
    const svg = latencyChart(ops, [], 1.7e308, 0).svg + throughputChart(ops, [], 1.7e308).svg;
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('keeps the operations inside a witness window as dots', () => {
    const ops = Array.from({ length: 10_000 }, (_, i) => op(i, i * 1e6, i * 1e6 + 3e6));
    const chart = latencyChart(ops, [], 1e10, 500, [[5e9, 5.1e9]]);
    expect(chart.exact).toBeGreaterThanOrEqual(100);
    expect(chart.exact).toBeLessThan(110);
    expect(segments(chart.svg, 'dots')).toBe(chart.exact);
  });

  it('a witness as long as the run draws its own ops and one background bar per lane and pixel', () => {
    const ops = Array.from({ length: 50_000 }, (_, i) => op(i, i * 1e6, i * 1e6 + 5e5));
    const anomaly: Anomaly = { kind: 'orphaned-lock', key: 'k', owners: ['o0'], witness: [1, 99_999], explanation: 'held to the end' };
    const svg = witnessTimeline(anomaly, ops, []);
    expect(svg.match(/class="op witness"/g)).toHaveLength(2);
    expect(segments(svg, 'background')).toBeGreaterThan(0);
    expect(segments(svg, 'background')).toBeLessThanOrEqual(7 * PLOT_COLUMNS);
  });

  it('niceStep: about ten ticks for any span', () => {
    for (const span of [1e-6, 0.3, 7, 1800, 3.1e9, 1.7e299]) {
      const n = span / niceStep(span);
      expect(n).toBeGreaterThanOrEqual(4);
      expect(n).toBeLessThanOrEqual(10);
    }
  });
});
