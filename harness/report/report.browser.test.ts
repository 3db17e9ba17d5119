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
import { generateHistory, toJsonl } from '../../test/fixtures/generated-history.ts';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.ts';
import type { RunResults } from './results.ts';

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
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Anything the page tried to fetch would be a broken self-contained promise.
    const requests: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) requests.push(req.url());
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);

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

    // B's linearizability view is embedded per cell; for the broken cell it shows where the search got stuck.
    const lz = page.locator('#cell-write-then-delete_w-ONE .linearizability .lz');
    await expect(lz.count()).resolves.toBe(1);
    await expect(lz.locator('svg').count()).resolves.toBeGreaterThan(0);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
