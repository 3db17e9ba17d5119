// Linearizability checker bench: median check time of every Porcupine history, of generated
// lock histories (1k, 10k, 100k ops; 16 keys, 10 processes, 1% info), and peak memory.
//
//   npx tsx bench/checker.ts [--runs N] [--sizes 1000,10000,100000]
//
// Each lock size runs in its own child process so that its peak RSS is its own.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkOperations } from '../checkers/linearizability/check.ts';
import { loadHistory } from '../checkers/readers/load.ts';
import { lockModelFor, lockOperations } from '../checkers/readers/lockstorm.ts';
import { generateLockHistory } from './checker-lock-history.ts';

const here = dirname(fileURLToPath(import.meta.url));
const data = resolve(here, '../test/fixtures/porcupine');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, sizes: { type: 'string', default: '1000,10000,100000' }, lock: { type: 'string' } },
});
const runs = Number(values.runs);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Child mode: one lock size, one JSON line. */
function benchLock(ops: number): void {
  const events = generateLockHistory({ ops, keys: 16, processes: 10, infoRate: 0.01, ttlSeconds: 5, seed: 1 });
  const times: number[] = [];
  let verdict = '';
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const l = lockOperations(events);
    const r = checkOperations(lockModelFor(l), l.ops, { timeoutMs: 120_000 });
    times.push(performance.now() - t0);
    verdict = r.verdict;
    count = l.ops.length;
  }
  console.log(JSON.stringify({ ops, events: events.length, checkedOps: count, verdict, medianMs: median(times), peakMiB: peakMiB() }));
}

function benchPorcupine(): void {
  const rows = readFileSync(join(data, 'expectations.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  console.log(`Porcupine histories (median of ${runs} runs, parse + check):`);
  const worst = { etcd: { path: '', ms: 0 }, kv: { path: '', ms: 0 } };
  let mismatches = 0;
  for (const [path, model, expected] of rows as [string, 'etcd' | 'kv', string][]) {
    const text = readFileSync(join(data, path), 'utf8');
    const times: number[] = [];
    let verdict = '';
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const h = loadHistory(path, text);
      verdict = checkOperations(h.model, h.ops, { timeoutMs: 60_000 }).verdict;
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    if (verdict !== expected) mismatches++;
    if (ms > worst[model].ms) worst[model] = { path, ms };
    console.log(`  ${path.padEnd(22)} ${model.padEnd(5)} ${verdict.padEnd(8)}${verdict === expected ? '' : ` (expected ${expected})`} ${ms.toFixed(1).padStart(8)} ms`);
  }
  console.log(`  slowest etcd: ${worst.etcd.path} ${worst.etcd.ms.toFixed(1)} ms; slowest kv: ${worst.kv.path} ${worst.kv.ms.toFixed(1)} ms; verdict mismatches: ${mismatches}`);
  console.log(`  peak RSS of this process: ${peakMiB()} MiB`);
}

if (values.lock !== undefined) {
  benchLock(Number(values.lock));
} else {
  benchPorcupine();
  console.log(`Generated lock histories (16 keys, 10 processes, 1% info, TTL 5 s; median of ${runs} runs, convert + check):`);
  for (const size of values.sizes.split(',').map(Number)) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--lock', String(size), '--runs', String(runs)], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ops: number; checkedOps: number; verdict: string; medianMs: number; peakMiB: number };
    console.log(`  ${String(r.ops).padStart(7)} ops (${r.checkedOps} after dropping fails) ${r.verdict.padEnd(8)} ${r.medianMs.toFixed(0).padStart(7)} ms   peak RSS ${r.peakMiB} MiB`);
  }
}
