// Results folders of the real shape (RunResults / CellResult), generated: for tests of the
// history page and diff, which must work on hundreds of runs without a cluster.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyKind } from '../../checkers/anomaly.ts';
import { prng } from '../core/prng.ts';
import { runFolderName } from '../report/run-folder.ts';
import { cellHistoryPath, type CellResult, type RunResults } from '../report/results.ts';

export function makeCell(name: string, verdict: CellResult['verdict'], expectation: CellResult['expectation'], kinds: AnomalyKind[] = []): CellResult {
  return {
    name,
    params: { name, durationMs: 20000 },
    verdict,
    expectation,
    met: expectation === 'unsafe-allowed' || verdict === 'safe',
    anomalies: kinds.map((kind, i) => ({ kind, key: 'k0', owners: ['a', 'b'], witness: [i + 1, i + 2], explanation: `${kind} on k0` })),
    ops: { ok: 100, fail: 3, info: 1 },
    latency_ms: { p50: 2.5, p99: 40 },
    availability: 0.99,
    axes: { recipe: name } as CellResult['axes'],
    confidence: { ops: 104, fault_windows: 2, fault_seconds: 10 },
    history: cellHistoryPath(name),
    ...(verdict === 'unknown' ? { verdict_reason: 'cut short: no end line' } : {}),
  };
}

export function runResults(name: string, run: string, cells: CellResult[]): RunResults {
  return { name, run, met: cells.every((c) => c.met), cells };
}

/** Writes one run folder as `lockstorm run` leaves it (config, histories, results.json), with file times spanning `durationS`. */
export function writeRun(root: string, results: RunResults, startedAt: Date, durationS = 600): string {
  const dir = join(root, results.run);
  mkdirSync(dir, { recursive: true });
  const t0 = startedAt.getTime() / 1000;
  writeFileSync(join(dir, 'config.yaml'), `name: ${results.name}\n`);
  utimesSync(join(dir, 'config.yaml'), t0, t0);
  for (const c of results.cells) {
    mkdirSync(join(dir, 'cells', c.name), { recursive: true });
    writeFileSync(join(dir, c.history), '{}\n');
    utimesSync(join(dir, c.history), t0 + durationS, t0 + durationS);
  }
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return dir;
}

const KINDS: AnomalyKind[] = ['double-holder', 'lost-release', 'orphaned-lock', 'non-linearizable'];

/** `count` nightly runs, one a day from `start`, over `cells` cells; the seed decides verdicts. */
export function writeNightlies(root: string, count: number, cells: number, seed: number, start = new Date(Date.UTC(2026, 0, 1, 2, 17, 0))): string[] {
  const rand = prng(seed).next;
  const folders: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(start.getTime() + i * 86_400_000);
    const run = runFolderName('nightly', at);
    const cs = Array.from({ length: cells }, (_, j) => {
      const name = j % 4 === 0 ? `write-then-delete_c${j}` : `lwt_c${j}`;
      const r = rand();
      if (j % 4 === 0) return makeCell(name, r < 0.7 ? 'unsafe' : 'safe', 'unsafe-allowed', r < 0.7 ? [KINDS[Math.floor(rand() * KINDS.length)]!] : []);
      return r < 0.03 ? makeCell(name, 'unsafe', 'safe', ['double-holder']) : r < 0.06 ? makeCell(name, 'unknown', 'safe') : makeCell(name, 'safe', 'safe');
    });
    writeRun(root, runResults('nightly', run, cs), at, 1800 + Math.floor(rand() * 600));
    folders.push(run);
  }
  return folders;
}
