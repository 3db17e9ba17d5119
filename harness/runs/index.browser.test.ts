// `lockstorm runs` as a person sees it: twenty generated nightly runs, the real CLI writes
// index.html, and Debian's headless Chromium must show every cell's strip of marks and a working
// link to each run's report. A screenshot goes to test-artifacts/ for a human to look at.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOffline } from '../report/testing/offline-page.ts';
import { CHROMIUM_ARGS, ensureChromium } from '../report/chromium.ts';
import { writeNightlies } from './generated-runs.fixture.ts';
import { markOf, reportHref } from './index-html.ts';
import { readRuns } from './read-runs.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const RUNS = 20;
const CELLS = 12;

describe('results/index.html in headless Chromium', () => {
  let browser: Browser;
  let root: string;
  let folders: string[];

  beforeAll(async () => {
    const executablePath = await ensureChromium((line) => console.log(line));
    root = mkdtempSync(join(tmpdir(), 'lockstorm-runs-browser-'));
    folders = writeNightlies(root, RUNS, CELLS, 11);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), 'runs', root], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${RUNS} runs; index: ${join(root, 'index.html')}`);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows a visible strip of marks per cell and a visible link to every run report', async () => {
    const { page, errors, requests } = await openOffline(browser, join(root, 'index.html'));

    const strips = page.locator('svg.strip');
    await expect(strips.count()).resolves.toBe(CELLS);
    const { runs } = readRuns(root);
    for (let i = 0; i < CELLS; i++) {
      const strip = strips.nth(i);
      await expect(strip.isVisible()).resolves.toBe(true);
      const box = await strip.boundingBox();
      // Twenty marks must be wide enough to see and to point at one by one.
      expect(box!.width).toBeGreaterThanOrEqual(RUNS * 4);
      expect(box!.height).toBeGreaterThanOrEqual(10);
      const marks = strip.locator('rect');
      await expect(marks.count()).resolves.toBe(RUNS);
      const mark = await marks.first().boundingBox();
      expect(mark!.width).toBeGreaterThanOrEqual(4);
    }
    // The colours drawn are the marks of the data: the last mark of the first cell is that cell in the newest run.
    const first = await page.locator('table.cells tbody tr').first().locator('td').first().innerText();
    const newest = runs[runs.length - 1]!.results.cells.find((c) => c.name === first);
    await expect(strips.first().locator('rect').last().getAttribute('data-mark')).resolves.toBe(markOf(newest));

    for (const folder of folders) {
      const link = page.locator(`table.runs a[href="${reportHref(folder)}"]`);
      await expect(link.count()).resolves.toBe(1);
      await expect(link.isVisible()).resolves.toBe(true);
      const href = await link.evaluate((a) => (a as HTMLAnchorElement).href);
      expect(href).toBe(pathToFileURL(join(root, folder, 'report.html')).href);
    }

    await page.screenshot({ path: join(ARTIFACTS, 'runs-index.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
