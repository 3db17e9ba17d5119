// `lockstorm run` on bad input, as a user meets it: the real CLI in a child process, one line on
// stderr, exit 2, no stack trace, and no results folder left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'lockstorm-cli-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), ...args], { encoding: 'utf8', cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function config(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function expectOneLineError(r: ReturnType<typeof run>, message: string): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`lockstorm: ${message}\n`);
  expect(r.stderr).not.toMatch(/\s+at /);
  expect(existsSync(join(dir, 'results'))).toBe(false);
}

describe('lockstorm run with bad input', () => {
  it('an unknown consistency level', () => {
    const path = config('cl.yaml', 'name: x\nrecipe: lwt\nduration_s: 5\nmatrix:\n  write_cl: [ONE, QUORUM, QUORM]\n');
    expectOneLineError(run('run', path), `${path}: matrix.write_cl[2]: "QUORM" is not one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, LOCAL_ONE`);
  });

  it('a missing file', () => {
    expectOneLineError(run('run', 'no/such/config.yaml'), 'no/such/config.yaml: no such file');
  });

  it('a directory instead of a file', () => {
    expectOneLineError(run('run', dir), `${dir}: is a directory, not a config file`);
  });

  it('YAML that does not parse', () => {
    const path = config('broken.yaml', 'name: x\n  recipe: [lwt\n');
    const r = run('run', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^lockstorm: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: not valid YAML: [^\\n]+\\n$`));
  });

  it('an unknown recipe, named with the recipes lockstorm has', () => {
    const path = config('recipe.yaml', 'name: x\nrecipe: redlock\nduration_s: 5\n');
    expectOneLineError(run('run', path), `${path}: recipe: "redlock" is not one of write-then-delete, lwt-ttl-plain-release, lwt, lwt-plain-delete, write-then-delete-retry`);
  });

  it('an unknown fault in a nemesis, named by the nemesis module', () => {
    const path = config('fault.yaml', 'name: x\nrecipe: lwt\nduration_s: 5\nnemeses:\n  n:\n    faults: [flood]\nnemesis: n\n');
    const r = run('run', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^lockstorm: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: nemeses\\.n\\.faults\\[0\\]: unknown fault "flood" \\(known: [^\\n]+\\)\\n$`));
  });

  it('a missing argument is a usage error, also exit 2', () => {
    const r = run('run');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('lockstorm report / check DIR with bad input', () => {
  it('a folder that is not a results folder', () => {
    expectOneLineError(run('report', dir), `${dir}: not a lockstorm results folder (no config.yaml)`);
    expectOneLineError(run('check', dir), `${dir}: not a lockstorm results folder (no config.yaml)`);
  });

  it('check refuses a mix of results folders and history files', () => {
    expectOneLineError(run('check', dir, config('h.jsonl', '')), 'check: give either history files or results folders, not both');
  });
});
