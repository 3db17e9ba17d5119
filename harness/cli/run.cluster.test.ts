// `lockstorm run` end to end on the real cluster, through the real CLI: two cells on one cluster
// (so the between-cells heal and truncate run), the results folder as documented, and Ctrl-C
// in the middle of a cell stopping cleanly with the history kept and nothing left running.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanAll } from '../cluster/index.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import type { RunResults } from '../report/results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/lockstorm.mjs');

function lockstormContainers(): string[] {
  const r = spawnSync('docker', ['ps', '-a', '--filter', 'label=lockstorm=true', '--format', '{{.Names}}'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean);
}

function workdir(config: string): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-run-'));
  writeFileSync(join(dir, 'c.yaml'), config);
  return { dir, config: join(dir, 'c.yaml') };
}

describe('lockstorm run on a real cluster', () => {
  // These runs start and remove clusters of their own: none may be running already (not even
  // the one other test files share, test/support/clusters.ts).
  beforeAll(async () => {
    await cleanAll();
  });

  it('runs every cell on one cluster and writes the documented results folder', () => {
    const { dir, config } = workdir(
      'name: two-cells\nrecipe: lwt\nduration_s: 8\nclients: 4\nkeys: 2\nseed: 5\nttl_s: 30\nmin_ops: 10\n' +
        'nemeses:\n  cuts:\n    faults: [reply-lost]\n    on_s: 2\n    off_s: 2\nmatrix:\n  nemesis: [none, cuts]\n',
    );
    const r = spawnSync(process.execPath, [CLI, 'run', config, '--results', join(dir, 'results')], { encoding: 'utf8', cwd: dir, env: { ...process.env, CI: 'true' } });
    expect(r.stderr).not.toMatch(/internal error/);
    const lines = r.stdout.trim().split('\n');
    const report = lines.at(-1)!.replace(/^report: /, '');
    expect(lines.at(-2)).toBe('2 of 2 expectations met');
    expect(r.status).toBe(0);
    const run = resolve(report, '..');
    expect(readFileSync(join(run, 'config.yaml'), 'utf8')).toBe(readFileSync(config, 'utf8'));
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as RunResults;
    expect(results.cells.map((c) => [c.name, c.verdict, c.met])).toEqual([
      ['lwt_none', 'safe', true],
      ['lwt_cuts', 'safe', true],
    ]);
    for (const cell of results.cells) {
      const events = readLockstormFile(join(run, 'cells', cell.name, 'history.jsonl'));
      expect(events.filter((e) => e.type === 'invoke').length).toBe(cell.ops.ok + cell.ops.fail + cell.ops.info);
      expect(cell.ops.ok).toBeGreaterThan(20);
    }
    expect(results.cells[1]!.confidence.fault_windows).toBeGreaterThan(0);
    expect(readFileSync(join(run, 'junit.xml'), 'utf8').match(/<testcase /g)).toHaveLength(2);
    expect(readFileSync(report, 'utf8')).toContain('id="cell-lwt_cuts"');
    expect(r.stderr).toMatch(/\[2\/2\] lwt_cuts: safe; expected safe: met/);
    expect(lockstormContainers()).toEqual([]);
  });

  it('reuses a cluster left by `cluster up` when its settings match, says so, and leaves it running', () => {
    const up = spawnSync(process.execPath, [CLI, 'cluster', 'up'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(up.status, up.stderr).toBe(0);
    const started = lockstormContainers().sort();
    expect(started).toHaveLength(4);
    try {
      const same = workdir('name: reuse\nrecipe: lwt\nduration_s: 3\nclients: 2\nkeys: 1\nseed: 3\nttl_s: 30\nmin_ops: 1\n');
      const r = spawnSync(process.execPath, [CLI, 'run', same.config, '--results', join(same.dir, 'results')], { encoding: 'utf8', cwd: same.dir, env: { ...process.env, CI: 'true' } });
      expect(r.stderr).toMatch(/reusing the running cluster left by `lockstorm cluster up`/);
      expect(r.stderr).not.toMatch(/starting the cluster/);
      expect(r.stdout).toMatch(/^1 of 1 expectations met$/m);
      expect(r.status).toBe(0);
      expect(lockstormContainers().sort()).toEqual(started);

      // Another Paxos variant is another cluster: refused by name, and the running one is not touched.
      const other = workdir('name: other\ncluster:\n  paxos_variant: v1\nrecipe: lwt\nduration_s: 3\nclients: 2\nkeys: 1\nttl_s: 30\n');
      const o = spawnSync(process.execPath, [CLI, 'run', other.config, '--results', join(other.dir, 'results')], { encoding: 'utf8', cwd: other.dir, env: { ...process.env, CI: 'true' } });
      expect(o.stderr).toMatch(/a lockstorm cluster is already running, but not the one this run needs \(paxos v2, not v1\): `lockstorm cluster down` removes it/);
      expect(o.status).toBe(2);
      expect(lockstormContainers().sort()).toEqual(started);
    } finally {
      spawnSync(process.execPath, [CLI, 'cluster', 'down'], { encoding: 'utf8' });
    }
    expect(lockstormContainers()).toEqual([]);
  });

  it('Ctrl-C mid-cell: stops, keeps the partial history, writes the reports, tears down, exits 130', async () => {
    const { dir, config } = workdir('name: interrupted\nrecipe: lwt\nduration_s: 120\nclients: 4\nkeys: 2\nttl_s: 30\nmatrix:\n  write_cl: [QUORUM, ALL]\n');
    const child = spawn(process.execPath, [CLI, 'run', config, '--results', join(dir, 'results')], { cwd: dir, env: { ...process.env, CI: 'true' } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const sent = new Promise<void>((done) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The first progress tick means clients are running: interrupt then.
        if (/\[1\/2\] lwt_w-QUORUM: \d+s\/120s ops=/.test(stderr) && !child.killed) {
          child.kill('SIGINT');
          done();
        }
      });
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    await sent;
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted; stopping the cell/);
    const report = stdout.trim().split('\n').at(-1)!.replace(/^report: /, '');
    const run = resolve(report, '..');
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as RunResults;
    expect(results.cells[0]!.error).toBe('interrupted: the history is partial');
    expect(results.cells[1]!.error).toBe('not run: the run was interrupted');
    const history = readLockstormFile(join(run, 'cells', 'lwt_w-QUORUM', 'history.jsonl'));
    expect(history.filter((e) => e.type === 'invoke').length).toBeGreaterThan(0);
    expect(existsSync(join(run, 'report.html'))).toBe(true);
    expect(lockstormContainers()).toEqual([]);
  });
});
