// `check`, `report` and `run` on bad input and hostile data, as a user meets them: the real CLI in
// a child process over real files, one `lockstorm: ` line on stderr and exit 2, no stack trace,
// nothing recorded ever written over, and no control or bidi character from the data printed raw.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHistory, toJsonl } from '../../test/fixtures/generated-history.ts';
import { makeResultsDir } from '../report/results-dir.fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/lockstorm.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'lockstorm-bad-'));

/** An owner that, printed raw, would move up a line, erase it and print `ok` there; a key shown reversed. */
const FORGED_OWNER = 'x\x1b[1A\x1b[2K\rok';
const REVERSED_KEY = 'k\u202egnp.exe';
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function run(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOneLine(r: ReturnType<typeof run>, pattern: RegExp): void {
  expect(r.stderr).toMatch(/^lockstorm: [^\n]*\n$/);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\s+at /);
  expect(r.status).toBe(2);
}

/** A small history with a planted double holder whose key and first owner are hostile. */
function hostileJsonl(): string {
  const events = generateHistory({ seed: 5, processes: 3, keys: ['k0'], durationMs: 1500, faults: [], doubleHolder: { key: REVERSED_KEY, atMs: 500 }, recipe: 'lwt' });
  return toJsonl(events).replaceAll('"intruder-a"', JSON.stringify(FORGED_OWNER));
}

function historyFile(name: string): string {
  const path = join(tmp, name);
  writeFileSync(path, hostileJsonl());
  return path;
}

function resultsDir(): string {
  const dir = makeResultsDir([]);
  writeFileSync(join(dir, 'cells', 'lwt', 'history.jsonl'), hostileJsonl());
  return dir;
}

describe('outputs never replace inputs', () => {
  it('check --html refuses a history given as input: same path, a symlink to it, a hard link to it', () => {
    const h1 = historyFile('h1.jsonl');
    const h2 = historyFile('h2.jsonl');
    const before = readFileSync(h1, 'utf8');
    symlinkSync(h1, join(tmp, 'view-link.html'));
    linkSync(h2, join(tmp, 'view-hard.html'));
    expectOneLine(run(['check', h1, '--html', h1]), /--html: refusing to write .*h1\.jsonl: it is the input/);
    expectOneLine(run(['check', h1, h2, '--html', 'view-link.html']), /--html: refusing to write view-link\.html: it is the input .*h1\.jsonl/);
    expectOneLine(run(['check', h1, h2, '--html', './view-hard.html']), /--html: refusing to write \.\/view-hard\.html: it is the input .*h2\.jsonl/);
    expect(readFileSync(h1, 'utf8')).toBe(before);
    expect(readFileSync(h2, 'utf8')).toBe(before);
  });

  it('check --html naming a folder: one line before any checking', () => {
    const r = run(['check', historyFile('h3.jsonl'), '--html', tmp]);
    expectOneLine(r, /--html: .*: is a directory/);
    expect(r.stdout).toBe('');
  });

  it('report never follows a symlink planted at a temporary name, and writes its outputs', () => {
    const dir = resultsDir();
    const victim = join(tmp, 'victim.txt');
    writeFileSync(victim, 'keep me');
    for (const name of ['results.json', 'junit.xml', 'report.html']) symlinkSync(victim, join(dir, `${name}.tmp`));
    const r = run(['report', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('report refuses an output that is the history or the config (symlink or hard link), writing nothing', () => {
    const dir = resultsDir();
    const history = join(dir, 'cells', 'lwt', 'history.jsonl');
    const before = readFileSync(history, 'utf8');
    symlinkSync(history, join(dir, 'results.json'));
    expectOneLine(run(['report', dir]), /refusing to write .*results\.json: it is the input .*history\.jsonl/);
    const dir2 = resultsDir();
    linkSync(join(dir2, 'config.yaml'), join(dir2, 'junit.xml'));
    expectOneLine(run(['report', dir2]), /refusing to write .*junit\.xml: it is the input .*config\.yaml/);
    expect(readFileSync(history, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('report where an output is a folder: one line, exit 2, nothing written', () => {
    const dir = resultsDir();
    mkdirSync(join(dir, 'results.json'));
    expectOneLine(run(['report', dir]), /results\.json: is a directory/);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});

describe('run --results that cannot hold a run folder is refused before any cluster starts', () => {
  const config = join(tmp, 'ok.yaml');
  writeFileSync(config, 'name: x\nrecipe: lwt\nduration_s: 5\n');

  it('a file', () => {
    writeFileSync(join(tmp, 'a-file'), '');
    expectOneLine(run(['run', config, '--results', 'a-file']), /^lockstorm: --results: a-file: is not a folder\n$/);
    expectOneLine(run(['run', config, '--results', 'a-file/sub']), /^lockstorm: --results: a-file\/sub: .*ENOTDIR/);
  });

  it('a folder that cannot be written', () => {
    // As root every mode bit is ignored; sysfs refuses even root.
    const unwritable = process.getuid?.() === 0 ? '/sys/lockstorm-results' : join(tmp, 'ro');
    if (process.getuid?.() !== 0) mkdirSync(unwritable, { mode: 0o500 });
    expectOneLine(run(['run', config, '--results', unwritable]), /^lockstorm: --results: .*(EACCES|EPERM)/);
  });

  it('a folder that cannot exist', () => {
    // Node's own recursive mkdir never returns for this path.
    expectOneLine(run(['run', config, '--results', '/proc/lockstorm-results']), /^lockstorm: --results: \/proc\/lockstorm-results: no such file or directory \(ENOENT\)\n$/);
  });

  it('a name too long for the filesystem', () => {
    expectOneLine(run(['run', config, '--results', 'r'.repeat(300)]), /^lockstorm: --results: r+: name too long for the filesystem \(ENAMETOOLONG\)\n$/);
  });
});

describe('a reader that goes away', () => {
  it('check FILE... | head -1 ends quietly with the exit code the checks meant', async () => {
    const files = Array.from({ length: 40 }, (_, i) => historyFile(`pipe-${i}.jsonl`));
    const child = spawn(process.execPath, [BIN, 'check', ...files], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first line, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    // Every history holds a double holder: the checks meant 1 (illegal).
    expect(code).toBe(1);
  }, 120_000);
});

describe('hostile data is shown escaped', () => {
  it('check FILE: the human line and --json carry no raw ESC or U+202E', () => {
    const h = historyFile('hostile.jsonl');
    const human = run(['check', h]);
    expect(human.status).toBe(1);
    expect(human.stdout).not.toMatch(RAW);
    expect(human.stdout).toContain('\\u202e');
    const json = run(['check', '--json', h]);
    expect(json.stdout).not.toMatch(RAW);
    expect(JSON.parse(json.stdout).partition).toBe(REVERSED_KEY);
  });

  it('check --html, report.html and junit.xml show them as \\x1b and \\u202e', () => {
    const h = historyFile('hostile-html.jsonl');
    expect(run(['check', h, '--html', 'view.html']).status).toBe(1);
    const view = readFileSync(join(tmp, 'view.html'), 'utf8');
    expect(view).not.toMatch(RAW);
    const dir = resultsDir();
    expect(run(['report', dir]).status).toBe(1);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    for (const text of [html, junit]) {
      expect(text).not.toMatch(RAW);
      expect(text).toContain('k\\u202egnp.exe');
    }
    expect(html).toContain('x\\x1b[1A\\x1b[2K\\x0dok');
  });
});

describe('check DIR', () => {
  it('names each cell folder its config does not list, and exits 2', () => {
    const dir = resultsDir();
    mkdirSync(join(dir, 'cells', 'stray'));
    mkdirSync(join(dir, 'cells', 'lwt_old'));
    const r = run(['check', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `lockstorm: ${join(dir, 'cells', 'lwt_old')}: config.yaml lists no cell of that name; it was not checked`,
      `lockstorm: ${join(dir, 'cells', 'stray')}: config.yaml lists no cell of that name; it was not checked`,
    ]);
    expect(r.stdout).toMatch(/^lwt: unsafe/);
  });

  it('refuses flags that mean nothing for a folder', () => {
    const dir = resultsDir();
    for (const [flags, name] of [[['--model', 'lock'], '--model'], [['--format', 'lockstorm'], '--format'], [['--html', 'x.html'], '--html'], [['--json'], '--json'], [['--timeout', '5'], '--timeout']] as const) {
      const r = run(['check', dir, ...flags]);
      expectOneLine(r, new RegExp(`^lockstorm: ${name}: does not apply to a results folder`));
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(tmp, 'x.html'))).toBe(false);
  });
});
