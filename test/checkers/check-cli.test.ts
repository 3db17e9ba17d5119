// `lockstorm check` as a user runs it: exit codes, --json lines, --html output, bad input.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockHistory } from './lock-history-builder.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const data = join(repo, 'test/fixtures/porcupine');
const dir = mkdtempSync(join(tmpdir(), 'lockstorm-check-'));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [join(repo, 'bin/lockstorm.mjs'), 'check', ...args], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const evil = '<script>alert(1)</script>';
const doubleHolder = lockHistory(10, [
  [0, 'invoke', 'acquire', 'k', 'a', 0],
  [0, 'ok', 'acquire', 'k', 'a', 1],
  [1, 'invoke', 'acquire', 'k', evil, 2],
  [1, 'ok', 'acquire', 'k', evil, 3],
]);
const jsonl = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('lockstorm check', () => {
  it('exits 0 when every file is ok, printing one JSON object per file', () => {
    const r = run('--json', join(data, 'jepsen/etcd_002.log'), join(data, 'kv/c01-ok.txt'));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.model, l.verdict, l.ops])).toEqual([
      ['etcd', 'ok', 77],
      ['kv', 'ok', 58],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 5)).toEqual(['file', 'model', 'verdict', 'ops', 'ms']);
  });

  it('exits 1 when any file is illegal, with the witness in the JSON', () => {
    const r = run('--json', '--format', 'porcupine-etcd', join(data, 'jepsen/etcd_000.log'), join(data, 'jepsen/etcd_002.log'));
    expect(r.code).toBe(1);
    const first = JSON.parse(r.stdout.split('\n')[0]!) as { verdict: string; stuck: { op: string }; partialLength: number };
    expect(first.verdict).toBe('illegal');
    expect(first.stuck.op).toMatch(/read/);
    expect(first.partialLength).toBeGreaterThan(0);
  });

  it('exits 3 when the time budget runs out before a verdict', () => {
    const r = run('--json', '--timeout', '0.000001', join(data, 'kv/c50-ok.txt'));
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'unknown', model: 'kv' });
  });

  it('exits 2 on bad input, naming the file and line in one line', () => {
    const good = jsonl(doubleHolder).split('\n');
    const path = write('bad.jsonl', [good[0], good[1], '{"type":"ok","index":2}'].join('\n'));
    const r = run(path);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^lockstorm: ${path}:3: f: `));
    expect(run('--model', 'nope', path).code).toBe(2);
    expect(run(join(dir, 'missing.jsonl')).stderr).toMatch(/missing\.jsonl: cannot read: ENOENT/);
  });

  it('reads an EDN history written as one list, and names the line of malformed EDN', () => {
    const ops = ['{:type :invoke, :f :write, :value 1, :process 0}', '{:type :ok, :f :write, :value 1, :process 0}'];
    const list = write('list.edn', `(${ops.join('\n ')})\n`);
    const ok = run('--json', list);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ok', ops: 1 });
    for (const [name, text, line] of [
      ['unclosed.edn', `[${ops[0]}\n ${ops[1]}\n`, 1],
      ['garbage.edn', `${ops[0]}\n{:type :ok, :f :write, :value [1 2), :process 0}\n`, 2],
      ['empty.edn', '; nothing recorded\n', undefined],
    ] as const) {
      const path = write(name, text);
      const r = run(path);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line === undefined ? `lockstorm: ${path}: no client operations` : `lockstorm: ${path}:${line}: EDN syntax: `);
    }
  });

  it('runs every lock checker on a lockstorm history: anomalies the search cannot see still exit 1', () => {
    const torn = [
      { type: 'meta', index: 0, time: 0, recipe: 'lwt', params: { ttlSeconds: 0 } },
      { type: 'invoke', index: 1, time: 1e6, process: 0, f: 'read', key: 'k' },
      { type: 'ok', index: 2, time: 2e6, process: 0, f: 'read', key: 'k', value: { state: 'free', owner: null, row: { owner: 7 } } },
    ];
    const r = run('--json', write('torn.jsonl', jsonl(torn)));
    expect(r.code).toBe(1);
    const line = JSON.parse(r.stdout) as Record<string, unknown> & { anomalies: { kind: string; witness: number[] }[] };
    expect(Object.keys(line).slice(0, 5)).toEqual(['file', 'model', 'verdict', 'ops', 'ms']);
    expect(line.verdict).toBe('ok');
    expect(line.anomalies.map((a) => [a.kind, a.witness])).toEqual([['torn-row', [1, 2]]]);
    const human = run(write('torn2.jsonl', jsonl(torn)));
    expect(human.stdout).toMatch(/: ok \(lock, 1 ops, [\d.]+ ms\); 1 lock anomaly:\n {2}torn-row on k: /);
  });

  it('names the lock anomalies of a double holder beside the search’s witness', () => {
    const r = run('--json', write('double.jsonl', jsonl(doubleHolder)));
    expect(r.code).toBe(1);
    const line = JSON.parse(r.stdout) as { verdict: string; anomalies: { kind: string }[] };
    expect([line.verdict, line.anomalies.map((a) => a.kind)]).toEqual(['illegal', ['double-holder', 'non-linearizable']]);
  });

  it('writes an offline HTML view with the unplaceable op highlighted and everything escaped', () => {
    const path = write('history.jsonl', jsonl(doubleHolder));
    const out = join(dir, 'view.html');
    const r = run('--html', out, path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/illegal \(lock, 2 ops/);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(evil);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/class="op stuck"/);
    expect(html).toMatch(/class="op lin"/);
    // Offline: no scripts, no external resources.
    expect(html).not.toMatch(/<script|(src|href)=["']?https?:/);
  });
});
