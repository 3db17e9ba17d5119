// How long each lock anomaly checker and the whole analyzeHistory take on large histories of a
// correct lock (median of several runs; every run must find nothing).
//
//   npx tsx bench/lock-anomalies.ts [--runs 5] [--ops 10000,50000] [--keys 5] [--processes 10]

import { parseArgs } from 'node:util';
import { analyzeHistory } from '../checkers/lock/analyze.ts';
import { buildCheckContext } from '../checkers/lock/context.ts';
import { LOCK_CHECKERS } from '../checkers/lock/registry.ts';
import { pairHistory } from '../history/index.ts';
import { generateLockHistory } from './checker-lock-history.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    ops: { type: 'string', default: '10000,50000' },
    keys: { type: 'string', default: '5' },
    processes: { type: 'string', default: '10' },
  },
});

// The specific checkers; the linearizability search is timed within analyzeHistory.
const checkers = LOCK_CHECKERS.filter((c) => c.name !== 'non-linearizable');
const ttlSeconds = 5;
const opts = { ttlSeconds, rowIsReachable: () => true };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timed(run: () => unknown[]): number {
  const start = performance.now();
  const found = run();
  const ms = performance.now() - start;
  if (found.length > 0) throw new Error(`a correct lock's history was flagged: ${JSON.stringify(found[0])}`);
  return ms;
}

for (const ops of values.ops.split(',').map(Number)) {
  const samples: Record<string, number[]> = {};
  for (let run = 0; run < Number(values.runs); run++) {
    const events = generateLockHistory({ ops, keys: Number(values.keys), processes: Number(values.processes), ttlSeconds, infoRate: 0.01, seed: run + 1 });
    const paired = pairHistory(events);
    const context = buildCheckContext(events, opts);
    for (const c of checkers) (samples[c.name] ??= []).push(timed(() => c.check(paired, context).anomalies));
    (samples['analyzeHistory (all + linearizability)'] ??= []).push(timed(() => analyzeHistory(events, { ...opts, timeoutMs: 60_000 }).anomalies));
  }
  console.log(`${ops} operations, ${values.keys} keys, ${values.processes} processes (median of ${values.runs} runs):`);
  for (const [name, ms] of Object.entries(samples)) console.log(`  ${name.padEnd(40)} ${median(ms).toFixed(1)} ms`);
}
