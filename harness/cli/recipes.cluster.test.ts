// Declarative twins on a real cluster, through `lockstorm run`: the config names two recipe files
// (relative to its own folder) beside the built-ins they copy, all four cells run under the same
// lost replies, and each twin gets its original's verdict and sends its original's statements.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import type { RunResults } from '../report/results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/lockstorm.mjs');

const CONFIG = `name: twins
recipes:
  lwt-yaml: { file: locks/lwt.yaml }
  wtd-yaml: { file: locks/write-then-delete.yaml }
duration_s: 20
clients: 6
keys: 3
seed: 11
# Short: an acquire whose reply was lost may hold its key, with nobody to release it, until then.
ttl_s: 3
op_timeout_ms: 2000
min_ops: 50
recipe: lwt
nemeses:
  cuts:
    faults: [reply-lost]
    on_s: 2
    off_s: 2
nemesis: cuts
matrix:
  recipe: [lwt, lwt-yaml, write-then-delete, wtd-yaml]
expect:
  recipe:
    write-then-delete: unsafe-allowed
    wtd-yaml: unsafe-allowed
`;

describe('declarative recipes on a real cluster', () => {
  it('each twin gets its original’s verdict under lost replies, sending the same statements', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstorm-twins-'));
    mkdirSync(join(dir, 'locks'));
    for (const f of ['lwt.yaml', 'write-then-delete.yaml']) copyFileSync(join(ROOT, 'examples/recipes', f), join(dir, 'locks', f));
    writeFileSync(join(dir, 'twins.yaml'), CONFIG);
    // Run from another folder: the recipe paths must resolve against the config's folder.
    const r = spawnSync(process.execPath, [CLI, 'run', join(dir, 'twins.yaml'), '--results', join(dir, 'results')], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CI: 'true' } });
    expect(r.stderr).not.toMatch(/internal error/);
    const report = r.stdout.trim().split('\n').at(-1)!.replace(/^report: /, '');
    const run = resolve(report, '..');
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as RunResults;
    const verdicts = Object.fromEntries(results.cells.map((c) => [c.name, c.verdict]));
    expect(verdicts).toEqual({ lwt: 'safe', 'lwt-yaml': 'safe', 'write-then-delete': 'unsafe', 'wtd-yaml': 'unsafe' });
    for (const cell of results.cells) expect(cell.ops.ok).toBeGreaterThan(50);
    // Locks were taken and given back in every cell, so the statements compared below include both.
    const taken = (cell: string) => readLockstormFile(join(run, 'cells', cell, 'history.jsonl')).filter((e) => e.type === 'ok' && (e.f === 'acquire' || e.f === 'release')).length;
    for (const cell of results.cells) expect(taken(cell.name)).toBeGreaterThan(5);
    const statementsOf = (cell: string): string[] => {
      const events = readLockstormFile(join(run, 'cells', cell, 'history.jsonl'));
      expect(events[0]).toMatchObject({ type: 'meta', recipe: cell });
      const texts = new Set<string>();
      for (const e of events) if (e.type !== 'meta' && e.type !== 'invoke' && 'statements' in e) for (const s of e.statements ?? []) texts.add(`${s.kind} ${s.cql}`);
      return [...texts].sort();
    };
    expect(statementsOf('lwt-yaml')).toEqual(statementsOf('lwt'));
    expect(statementsOf('wtd-yaml')).toEqual(statementsOf('write-then-delete'));
    expect(r.status).toBe(0);
  });
});
