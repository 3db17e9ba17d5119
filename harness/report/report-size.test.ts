// A long cell must still get its report: `lockstorm report` on a history of 150,000 operations
// (what a 30-minute cell records) in a child process with a 1 GB heap, the page saying what its
// charts summarised. The million-operation case is timed in bench/report-size.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedResultsDir } from './results-dir.fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('lockstorm report on a long history', () => {
  it('renders 150,000 operations within a 1 GB heap and says what it drew', () => {
    const { dir, invocations } = generatedResultsDir(150_000);
    expect(invocations).toBeGreaterThan(150_000);
    const r = spawnSync(process.execPath, ['--max-old-space-size=1024', join(ROOT, 'bin/lockstorm.mjs'), 'report', dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // The planted double holder breaks the cell's `safe` expectation.
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`report: ${join(dir, 'report.html')}`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const note = /<p class="muted summarised" data-drawn="(\d+)" data-total="(\d+)">Summarised: ([^<]+)<\/p>/.exec(html);
    expect(note).not.toBeNull();
    const [drawn, total] = [Number(note![1]), Number(note![2])];
    // Every workload operation is accounted for (the final reads are not drawn), most as bands.
    expect(total).toBeGreaterThan(invocations - 20);
    expect(total).toBeLessThanOrEqual(invocations);
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(6000);
    expect(note![3]).toContain(`${drawn.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} operations drawn one by one`);
    // The witness is still drawn in full, and the page stays small enough to open.
    expect(html).toMatch(/data-witness="/);
    expect(statSync(join(dir, 'report.html')).size).toBeLessThan(3_000_000);
  }, 180_000);
});
