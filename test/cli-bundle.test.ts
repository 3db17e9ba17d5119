// The bundled CLI (bin/bundle.mjs, what `npm ci` builds into dist/bundle/) behaves as the
// TypeScript sources do: same output and exit code for help, a check and bad input; a source
// that reads files beside itself finds them beside its compiled copy; the stored top-level help
// (harness/cli/stored-help.ts) is printed only for a bare --help or -h into a pipe.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../bin/bundle.mjs';

const repo = resolve(import.meta.dirname, '..');
// Inside the repository, as dist/ is: the bundle finds node_modules and package.json above it.
mkdirSync(join(repo, 'test-artifacts'), { recursive: true });
const out = mkdtempSync(join(repo, 'test-artifacts', 'bundle-'));
const fixture = join(repo, 'test/fixtures/lwt-no-ttl-reply-lost.jsonl');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bundled(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [join(out, 'bundle/main.js'), ...args], { encoding: 'utf8', cwd: repo });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fromSources(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [join(repo, 'bin/lockstorm.mjs'), ...args], {
    encoding: 'utf8',
    cwd: repo,
    env: { ...process.env, LOCKSTORM_FROM_SOURCE: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A check's line without its timing, which differs run to run. */
const untimed = (r: Ran): Ran => ({ ...r, stdout: r.stdout.replace(/, [\d.]+ ms\)/g, ', _ ms)') });

beforeAll(async () => {
  const esbuild = createRequire(import.meta.url)('esbuild') as unknown;
  await bundleCli({ esbuild, root: repo, outDir: out });
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the bundled CLI', () => {
  it('prints the same help as the sources, with exit 0', () => {
    const b = bundled('--help');
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('Usage: lockstorm');
    expect(b).toEqual(fromSources('--help'));
    expect(bundled('check', '--help')).toEqual(fromSources('check', '--help'));
  });

  it('checks a history as the sources do: same lines, same exit code', () => {
    const b = untimed(bundled('check', fixture));
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/: ok \(lock, \d+ ops, _ ms\)/);
    expect(b).toEqual(untimed(fromSources('check', fixture)));
  });

  it('refuses bad input as the sources do: one line, exit 2', () => {
    const b = bundled('check', '--timeout', 'soon', fixture);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b).toEqual(fromSources('check', '--timeout', 'soon', fixture));
    expect(bundled('no-such-command')).toEqual(fromSources('no-such-command'));
  });

  it('words a history the schema refuses as the sources do (the bundle keeps zod\'s messages)', () => {
    const lines = readFileSync(fixture, 'utf8').split('\n');
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    const bad = join(out, 'bad.jsonl');
    writeFileSync(bad, [lines[0], JSON.stringify({ ...second, process: 'p1' }), ...lines.slice(2)].join('\n'));
    const b = bundled('check', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bad\.jsonl:2: process: /);
    expect(b).toEqual(fromSources('check', bad));
  });

  it('prints the stored help, read beside the compiled copy of stored-help, for a bare --help or -h only', () => {
    const dir = join(out, 'harness/cli');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'help.txt'), 'stored help\n');
    try {
      expect(bundled('--help')).toEqual({ code: 0, stdout: 'stored help\n', stderr: '' });
      expect(bundled('-h')).toEqual({ code: 0, stdout: 'stored help\n', stderr: '' });
      // Anything more is parsed by commander as before.
      expect(bundled('check', '--help').stdout).toContain('Usage: lockstorm check');
      expect(bundled('--help', 'check').stdout).not.toBe('stored help\n');
    } finally {
      rmSync(join(out, 'harness'), { recursive: true, force: true });
    }
  });
});
