// The report as a person sees it: a results folder made of generated histories is rebuilt with
// the real `lockstorm report DIR`, then opened in headless Chromium (Debian's), which must show
// the matrix and an anomaly's witness. Screenshots go to test-artifacts/ for a human to look at.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOffline } from './testing/offline-page.ts';
import { generateHistory, toJsonl } from '../../test/fixtures/generated-history.ts';
import type { Anomaly } from '../../checkers/anomaly.ts';
import { planFromText } from '../config/index.ts';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.ts';
import { renderReport } from './html.ts';
import { summarizeCell, type CellResult, type RunResults } from './results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const INTRUDED = 'lock-<b>7</b>';

const CONFIG = `name: browser
recipe: write-then-delete
duration_s: 12
clients: 6
keys: 3
ttl_s: 0
matrix:
  recipe: [write-then-delete, lwt]
  write_cl: [ONE, QUORUM]
expect:
  recipe:
    write-then-delete: unsafe-allowed
`;

/** A results folder as `lockstorm run` leaves it; only write-then-delete cells get the planted double holder. */
function makeRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-browser-'));
  writeFileSync(join(dir, 'config.yaml'), CONFIG);
  const cells = ['write-then-delete_w-ONE', 'write-then-delete_w-QUORUM', 'lwt_w-ONE', 'lwt_w-QUORUM'];
  cells.forEach((name, i) => {
    const events = generateHistory({
      seed: 100 + i,
      processes: 6,
      keys: ['k0', 'k1', 'k2'],
      durationMs: 12_000,
      faults: [{ fault: 'reply-lost', targets: ['n2'], startMs: 3000, endMs: 6000 }],
      ...(name.startsWith('write-then-delete') ? { doubleHolder: { key: INTRUDED, atMs: 8000 } } : {}),
      recipe: name.startsWith('lwt') ? 'lwt' : 'write-then-delete',
      end: { status: 'complete' },
    });
    mkdirSync(join(dir, 'cells', name), { recursive: true });
    writeFileSync(join(dir, 'cells', name, 'history.jsonl'), toJsonl(events));
  });
  return dir;
}

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let results: RunResults;

  beforeAll(async () => {
    const executablePath = await ensureChromium((line) => console.log(line));
    dir = makeRunDir();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), 'report', dir], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`report: ${join(dir, 'report.html')}`);
    // write-then-delete broke as allowed; lwt's generated histories are clean: every expectation met.
    expect(r.status).toBe(0);
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
    // `check DIR` re-judges the same folder the same way, without writing.
    const check = spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), 'check', dir], { encoding: 'utf8', cwd: ROOT });
    expect(check.status).toBe(0);
    expect(check.stdout.trim().split('\n')).toEqual([...results.cells.map((c) => expect.stringMatching(new RegExp(`^${c.name}: ${c.verdict}`))), '4 of 4 expectations met']);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the matrix coloured by verdict, and a witness of the planted double holder', async () => {
    const { page, errors, requests } = await openOffline(browser, join(dir, 'report.html'));

    const matrix = page.locator('#matrix');
    await expect(matrix.isVisible()).resolves.toBe(true);
    const cells = matrix.locator('.mcell');
    await expect(cells.count()).resolves.toBe(4);
    for (const cell of results.cells) {
      const shown = matrix.locator(`.mcell[data-cell="${cell.name}"]`);
      await expect(shown.getAttribute('data-verdict')).resolves.toBe(cell.verdict);
    }
    const unsafeCell = matrix.locator('.mcell[data-cell="write-then-delete_w-ONE"]');
    await expect(unsafeCell.getAttribute('data-verdict')).resolves.toBe('unsafe');
    await expect(unsafeCell.innerText()).resolves.toMatch(/double-holder/);
    const bg = await unsafeCell.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(247, 201, 204)');
    await matrix.screenshot({ path: join(ARTIFACTS, 'report-matrix.png') });

    const anomaly = page.locator('.anomaly[data-kind="double-holder"]').first();
    await anomaly.scrollIntoViewIfNeeded();
    // The key is data: shown as text, never turned into a <b> element.
    await expect(anomaly.locator('code').first().innerText()).resolves.toBe(INTRUDED);
    await expect(anomaly.locator('b b').count()).resolves.toBe(0);
    const witnessOps = anomaly.locator('svg g.op.witness');
    await expect(witnessOps.count()).resolves.toBeGreaterThanOrEqual(2);
    const box = await witnessOps.first().locator('rect').boundingBox();
    expect(box && box.width > 0 && box.height > 0).toBe(true);
    await anomaly.screenshot({ path: join(ARTIFACTS, 'report-witness.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: false });

    // The linearizability view is embedded per cell; for the broken cell it shows where the search got stuck.
    const lz = page.locator('#cell-write-then-delete_w-ONE .linearizability .lz');
    await expect(lz.count()).resolves.toBe(1);
    await expect(lz.locator('svg').count()).resolves.toBeGreaterThan(0);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it("the nightly's four axes: every cell visible in the small multiples, the headline short", async () => {
    // The shipped nightly plan, with verdicts made up the way its recipes tend to come out.
    const { plan } = planFromText(readFileSync(join(ROOT, 'configs/nightly.yaml'), 'utf8'), 'nightly.yaml', { recipes: ['write-then-delete', 'lwt-ttl-plain-release', 'lwt'] });
    const a = (kind: Anomaly['kind'], key: string, witness: number[]): Anomaly => ({ kind, key, owners: ['p8-7', 'p2-9'], witness, explanation: `${kind} on ${key}` });
    const cells: CellResult[] = plan.cells.map((c, i) => {
      const anomalies =
        c.axes.recipe === 'write-then-delete'
          ? [a('double-holder', 'k0', [i, i + 3]), a('double-holder', 'k2', [i + 5, i + 9]), a('resurrected-lock', 'k1', [i + 2, i + 20])]
          : c.axes.recipe === 'lwt-ttl-plain-release' && c.axes.nemesis === 'links'
            ? [a('lost-release', 'k3', [i, i + 4])]
            : [];
      return summarizeCell(c, [], { verdict: anomalies.length ? 'unsafe' : 'safe', anomalies, ops: { ok: 900, fail: 20, info: 5 } });
    });
    const results: RunResults = { name: 'nightly', run: '20260101-021700-nightly', met: true, cells };
    const file = join(mkdtempSync(join(tmpdir(), 'lockstorm-nightly-')), 'report.html');
    writeFileSync(file, renderReport(results, cells.map((result) => ({ result, events: [] })), '2026-01-01T03:00:00.000Z'));

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const headlineText = await page.locator('#headline').innerText();
    expect(headlineText.split(/\s+/).length).toBeLessThan(80);
    expect(headlineText).toContain('lwt-ttl-plain-release broke in 4 of 16 cells (lost-release): only under nemesis links; held under partitions or nodes or clocks-pauses.');
    const matrix = page.locator('#matrix');
    await expect(matrix.locator('table.matrix').count()).resolves.toBe(8);
    await expect(matrix.locator('.mcell').count()).resolves.toBe(cells.length);
    const boxes: { x: number; y: number; width: number; height: number }[] = [];
    for (const cell of cells) {
      const shown = matrix.locator(`.mcell[data-cell="${cell.name}"]`);
      await expect(shown.isVisible(), cell.name).resolves.toBe(true);
      boxes.push((await shown.boundingBox())!);
    }
    // No cell drawn over another.
    const overlap = (p: (typeof boxes)[number], q: (typeof boxes)[number]): boolean => p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `${cells[i]!.name} / ${cells[j]!.name}`).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'report-nightly-top.png'), fullPage: false });
    await matrix.screenshot({ path: join(ARTIFACTS, 'report-nightly-matrix.png') });
    await page.locator(`section.cell`).first().screenshot({ path: join(ARTIFACTS, 'report-nightly-cell.png') });
    await page.close();
  });
});
