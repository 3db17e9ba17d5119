// `lockstorm runs` and `lockstorm diff` over generated results folders of the real shape: the
// real CLI in a child process, as a nightly job meets it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffRuns } from './diff.ts';
import { makeCell, runResults, writeNightlies, writeRun } from './generated-runs.fixture.ts';
import { dateOfFolder, readRuns } from './read-runs.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/lockstorm.mjs');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('lockstorm runs', () => {
  it('lists 300 runs, skips what is not a run one line each, and writes a self-contained index.html', () => {
    const root = mkdtempSync(join(tmpdir(), 'lockstorm-runs-'));
    const folders = writeNightlies(root, 300, 12, 7);
    mkdirSync(join(root, 'notes'));
    mkdirSync(join(root, '20260101-000000-broken'));
    writeFileSync(join(root, '20260101-000000-broken', 'results.json'), '{"name":');
    mkdirSync(join(root, 'wrong-shape'));
    writeFileSync(join(root, 'wrong-shape', 'results.json'), JSON.stringify({ name: 'x', run: 'x', met: true, cells: [{ name: 'c' }] }));
    writeFileSync(join(root, 'stray.txt'), 'not a folder');

    const r = run(['runs', root], ROOT);
    expect(r.status).toBe(0);
    const skipped = r.stderr.trim().split('\n');
    expect(skipped).toHaveLength(3);
    expect(skipped.every((l) => l.startsWith('lockstorm: skipping '))).toBe(true);
    expect(r.stderr).toMatch(/notes: not a lockstorm run: no results.json/);
    expect(r.stderr).toMatch(/broken: not a lockstorm run: results.json is not JSON/);
    expect(r.stderr).toMatch(/wrong-shape: not a lockstorm run: results.json: cells.0.verdict/);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^date\s+config\s+met\s+broken\s+unknown\s+duration$/);
    expect(lines).toHaveLength(302);
    // Oldest first; 2026-01-01 02:17 UTC is the first generated night, and durations come from file times.
    expect(lines[1]).toMatch(/^2026-01-01 02:17 UTC\s+nightly\s+\d+\s+\d+\s+\d+\s+\d+ min \d+ s$/);

    const html = readFileSync(join(root, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(|https?:/i);
    for (const f of [folders[0]!, folders[299]!]) expect(html).toContain(`href="${encodeURIComponent(f)}/report.html"`);
    expect(html.match(/<tr><td class="f">/g)).toHaveLength(12);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The history page agrees with the data: a cell's first broken run is the earliest with met false.
    const { runs } = readRuns(root);
    const firstBroken = runs.find((x) => x.results.cells.some((c) => c.name === 'lwt_c1' && !c.met && c.verdict !== 'unknown'));
    const row = html.split('\n').find((l) => l.startsWith('<tr><td class="f">lwt_c1</td>'))!;
    expect(row).toContain(firstBroken ? `>${firstBroken.folder}</a>` : '<td>never</td>');
    expect(row.match(/<rect /g)).toHaveLength(300);
  });

  it('escapes every data string in the page and shows controls and bidi characters', () => {
    const root = mkdtempSync(join(tmpdir(), 'lockstorm-runs-'));
    const evil = '<img src=x onerror=alert(1)>\x1b[2K\u202ecod.exe';
    const at = new Date(Date.UTC(2026, 4, 2, 3, 4, 5));
    writeRun(root, runResults(evil, `20260502-030405-x"><b>`, [makeCell(evil, 'unsafe', 'safe', ['double-holder'])]), at);
    const r = run(['runs', root], ROOT);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(RAW);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;\\x1b[2K\\u202ecod.exe');
  });

  it('says duration unknown when file times give none, and dates folders only by a real stamp', () => {
    const root = mkdtempSync(join(tmpdir(), 'lockstorm-runs-'));
    writeRun(root, runResults('n', '20260102-030000-n', [makeCell('c', 'safe', 'safe')]), new Date(Date.UTC(2026, 0, 2, 3)), -5);
    expect(run(['runs', root], ROOT).stdout).toMatch(/2026-01-02 03:00 UTC\s+n\s+1\s+0\s+0\s+duration unknown/);
    expect(dateOfFolder('20261340-000000-x')).toBeNull();
    expect(dateOfFolder('nightly')).toBeNull();
  });

  it('a DIR that is not a folder is one line and exit 2', () => {
    const r = run(['runs', join(tmpdir(), 'no-such-lockstorm-dir')], ROOT);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lockstorm: [^\n]*no-such-lockstorm-dir: cannot read \(ENOENT\)\n$/);
  });
});

describe('lockstorm diff', () => {
  const root = mkdtempSync(join(tmpdir(), 'lockstorm-diff-'));
  const at = new Date(Date.UTC(2026, 0, 1));
  const a = writeRun(root, runResults('n', '20260101-000000-n', [
    makeCell('same', 'safe', 'safe'),
    makeCell('breaks', 'safe', 'safe'),
    makeCell('kinds', 'unsafe', 'unsafe-allowed', ['double-holder']),
    makeCell('gone', 'safe', 'safe'),
    makeCell('heals', 'unsafe', 'safe', ['lost-release']),
  ]), at);
  const b = writeRun(root, runResults('n', '20260102-000000-n', [
    makeCell('same', 'safe', 'safe'),
    makeCell('breaks', 'unknown', 'safe'),
    makeCell('kinds', 'unsafe', 'unsafe-allowed', ['double-holder', 'torn-row']),
    makeCell('heals', 'safe', 'safe'),
    makeCell('new', 'safe', 'safe'),
  ]), at);

  it('finds changed, missing and new cells; worse is met in A and not in B (or gone)', () => {
    const d = diffRuns(readRuns(root).runs[0]!.results, readRuns(root).runs[1]!.results);
    expect(d.changes.map((c) => [c.cell, c.change, c.worse])).toEqual([
      ['breaks', 'changed', true],
      ['kinds', 'changed', false],
      ['gone', 'only-in-a', true],
      ['heals', 'changed', false],
      ['new', 'only-in-b', false],
    ]);
  });

  it('exits 1 when worse and says so for a missing cell; --json carries the same', () => {
    const r = run(['diff', a, b], ROOT);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^WORSE breaks: safe, met → unknown, not met$/m);
    expect(r.stdout).toMatch(/^WORSE gone: only in A \(safe, met\); missing in B/m);
    expect(r.stdout).toMatch(/^kinds: unsafe, met, double-holder → unsafe, met, double-holder torn-row$/m);
    const j = run(['diff', a, b, '--json'], ROOT);
    expect(j.status).toBe(1);
    const parsed = JSON.parse(j.stdout) as { worse: boolean; changes: { cell: string }[] };
    expect(parsed.worse).toBe(true);
    expect(parsed.changes).toHaveLength(5);
  });

  it('exits 0 when nothing got worse (a cell heals, one is added)', () => {
    const c = writeRun(root, runResults('n', '20260103-000000-n', [
      makeCell('same', 'safe', 'safe'),
      makeCell('breaks', 'safe', 'safe'),
      makeCell('kinds', 'unsafe', 'unsafe-allowed', ['double-holder', 'torn-row']),
      makeCell('heals', 'safe', 'safe'),
      makeCell('new', 'safe', 'safe'),
      makeCell('newer', 'unsafe', 'safe', ['double-holder']),
    ]), at);
    const r = run(['diff', b, join(c, 'results.json')], ROOT);
    expect(r.stdout).toMatch(/^breaks: unknown, not met → safe, met$/m);
    expect(r.stdout).toMatch(/^newer: only in B/m);
    expect(r.stdout).not.toMatch(/WORSE/);
    expect(r.status).toBe(0);
    expect(run(['diff', a, a], ROOT).stdout).toMatch(/^no cell changed/);
  });

  it('bad input is one lockstorm: line and exit 2', () => {
    const junk = join(root, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'results.json'), '[]');
    for (const args of [['diff', a, join(root, 'missing')], ['diff', a, junk], ['diff', a]]) {
      const r = run(args, ROOT);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^(lockstorm|error): [^\n]*\n$/);
    }
  });
});
