import { describe, expect, it } from 'vitest';
import { generateHistory } from '../../test/fixtures/generated-history.ts';
import { planFromText } from '../config/index.ts';
import type { HistoryEvent } from '../../history/index.ts';
import { cellReportInput, renderReport } from './html.ts';
import { renderJunit } from './junit.ts';
import { faultWindows, pairOps } from './ops.ts';
import { exitCodeFor, failedCell, summarizeCell, type Analysis } from './results.ts';
import { collectResults } from './write.ts';

const EVIL_KEY = '<script>alert("key")</script>&';
const EVIL_ERROR = `</svg><img src=x onerror="alert('error')">`;

const { plan } = planFromText(
  'name: shapes\nrecipe: lwt\nduration_s: 20\nmatrix:\n  recipe: [write-then-delete, lwt]\n  write_cl: [ONE, QUORUM]\nexpect:\n  recipe:\n    write-then-delete: unsafe-allowed\n',
  'test.yaml',
  { recipes: ['write-then-delete', 'lwt'] },
);

const history = generateHistory({
  seed: 7,
  processes: 6,
  keys: ['k0', 'k1'],
  durationMs: 8000,
  faults: [{ fault: 'reply-lost', targets: ['n2'], startMs: 2000, endMs: 4000 }],
  doubleHolder: { key: EVIL_KEY, atMs: 5000 },
});

function witnessOf(events: readonly HistoryEvent[]): number[] {
  return events.filter((e) => e.type === 'ok' && e.f === 'acquire' && e.key === EVIL_KEY).map((e) => e.index);
}

const unsafe: Analysis = {
  verdict: 'unsafe',
  anomalies: [{ kind: 'double-holder', key: EVIL_KEY, owners: ['intruder-a', 'intruder-b'], witness: witnessOf(history), explanation: `both held it; driver said ${EVIL_ERROR}` }],
  ops: { ok: 10, fail: 2, info: 3, byF: {} },
};
const safe: Analysis = { verdict: 'safe', anomalies: [], ops: { ok: 12, fail: 1, info: 0, byF: {} } };

function results(analyses: Analysis[]) {
  const inputs = plan.cells.map((cell, i) => cellReportInput(summarizeCell(cell, history, analyses[i]!), history));
  return { results: collectResults('shapes', '20260101-000000-shapes', inputs), inputs };
}

describe('pairing a history', () => {
  it('every invocation becomes one op, fault windows pair start with stop', () => {
    const ops = pairOps(history);
    expect(ops).toHaveLength(history.filter((e) => e.type === 'invoke').length);
    expect(ops.filter((o) => o.final)).toHaveLength(3);
    const w = faultWindows(history);
    expect(w).toEqual([expect.objectContaining({ fault: 'reply-lost', targets: ['n2'], start: 2e9, end: 4e9 })]);
  });

  it('an invocation the history never completed counts as info', () => {
    const k = history.findIndex((e) => e.type === 'invoke' && e.time > 1e9);
    const ops = pairOps(history.slice(0, k + 1));
    const last = ops.find((o) => o.invokeIndex === history[k]!.index);
    expect(last).toMatchObject({ type: 'info', completeIndex: null, error: 'never completed' });
  });
});

describe('results.json', () => {
  it('has the documented results.json fields for every cell, and met follows the expectation', () => {
    const { results: r } = results([unsafe, unsafe, unsafe, safe]);
    expect(r.cells.map((c) => [c.name, c.verdict, c.expectation, c.met])).toEqual([
      ['write-then-delete_w-ONE', 'unsafe', 'unsafe-allowed', true],
      ['write-then-delete_w-QUORUM', 'unsafe', 'unsafe-allowed', true],
      ['lwt_w-ONE', 'unsafe', 'safe', false],
      ['lwt_w-QUORUM', 'safe', 'safe', true],
    ]);
    for (const c of r.cells) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'params', 'verdict', 'expectation', 'met', 'anomalies', 'ops', 'latency_ms', 'availability']));
      expect(Object.keys(c.ops).sort()).toEqual(['fail', 'info', 'ok']);
      expect(Object.keys(c.latency_ms).sort()).toEqual(['p50', 'p99']);
      expect(c.latency_ms.p50!).toBeGreaterThan(0);
      expect(c.latency_ms.p99!).toBeGreaterThanOrEqual(c.latency_ms.p50!);
      expect(c.availability!).toBeGreaterThan(0);
      expect(c.availability!).toBeLessThanOrEqual(1);
    }
    expect(r.cells[0]!.params).toMatchObject({ recipe: 'write-then-delete', writeCl: 'ONE', paxosVariant: 'v2' });
    expect(r.cells[3]!.confidence).toMatchObject({ fault_windows: 1, fault_seconds: 2 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(exitCodeFor(r)).toBe(1);
  });

  it('exit code: 0 when all met, 2 when lockstorm could not run a cell', () => {
    expect(exitCodeFor(results([unsafe, unsafe, safe, safe]).results)).toBe(0);
    const { results: r } = results([unsafe, unsafe, safe, safe]);
    r.cells[2] = failedCell(plan.cells[2]!, 'run failed: cluster would not start');
    expect(exitCodeFor(r)).toBe(2);
  });

  it('an unknown verdict breaks a safe expectation but not an unsafe-allowed one', () => {
    const unknown: Analysis = { verdict: 'unknown', anomalies: [], ops: { ok: 1, fail: 0, info: 0, byF: {} } };
    const { results: r } = results([unknown, unknown, unknown, unknown]);
    expect(r.cells.map((c) => c.met)).toEqual([true, true, false, false]);
  });
});

describe('junit.xml', () => {
  it('one testcase per cell; broken expectations fail with the anomaly explanations, escaped', () => {
    const { results: r } = results([unsafe, unsafe, unsafe, safe]);
    r.cells[1] = failedCell(plan.cells[1]!, 'run failed: <boom> & "quotes"');
    const xml = renderJunit(r);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('tests="4" failures="1" errors="1"');
    const failure = /<failure message="([^"]*)" type="unsafe">([^<]*)<\/failure>/.exec(xml);
    const key = '&lt;script&gt;alert(&quot;key&quot;)&lt;/script&gt;&amp;';
    expect(failure?.[1]).toBe(`double-holder ×1 on ${key} — first: intruder-a and intruder-b both held ${key}`);
    expect(failure?.[2]).toContain('double-holder on key &lt;script&gt;alert(&quot;key&quot;)&lt;/script&gt;&amp;');
    expect(failure?.[2]).toContain('&lt;/svg&gt;&lt;img src=x onerror=&quot;alert(&#39;error&#39;)&quot;&gt;');
    expect(xml).toContain('<error message="run failed: &lt;boom&gt; &amp; &quot;quotes&quot;"');
    expect(xml).not.toContain('<script>');
  });

  it('with the histories at hand, the message says when the first anomaly was proven', () => {
    const { results: r, inputs } = results([unsafe, unsafe, unsafe, safe]);
    const provenAt = history.find((e) => e.index === Math.max(...witnessOf(history)))!.time;
    const message = /<testcase [^>]*name="lwt_w-ONE"[^>]*>\n\s*<failure message="([^"]*)"/.exec(renderJunit(r, inputs))?.[1];
    expect(message).toMatch(new RegExp(`both held .* at ${(provenAt / 1e9).toFixed(1)} s$`));
  });
});

describe('report.html', () => {
  const { results: r, inputs } = results([unsafe, unsafe, unsafe, safe]);
  const harnessError = 'run failed: <b>node n2</b> said "no" & left';
  inputs[1] = { ...inputs[1]!, result: { ...failedCell(plan.cells[1]!, harnessError) } };
  r.cells[1] = inputs[1].result;
  const html = renderReport(r, inputs, '2026-01-01T00:00:00.000Z');

  it('is self-contained: no script, no external reference', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/<link /i);
  });

  it('escapes keys and error messages everywhere they appear', () => {
    expect(html).not.toContain(EVIL_KEY);
    expect(html).not.toContain(EVIL_ERROR);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;key&quot;)&lt;/script&gt;&amp;');
    expect(html).toContain('run failed: &lt;b&gt;node n2&lt;/b&gt; said &quot;no&quot; &amp; left');
    expect(html).not.toContain('<b>node n2</b>');
  });

  it('has the headline, the matrix, a section per cell, and the witness drawn', () => {
    expect(html).toContain('id="headline"');
    expect(html.match(/class="mcell /g)).toHaveLength(4);
    expect(html.match(/<section class="cell"/g)).toHaveLength(4);
    expect(html).toContain('<code>lwt</code> <span class="v-unsafe">broke</span> in 1 of 2 cells (double-holder; all against a safe expectation): only under write_cl ONE; held under QUORUM.');
    // Three unsafe sections (one now a harness error, still drawn from its history): two witness ops each.
    const witnesses = html.match(/data-witness="[^"]+"/g) ?? [];
    expect(witnesses.length).toBe(2 * 2);
    expect(html).toContain('Confidence.');
  });
});
