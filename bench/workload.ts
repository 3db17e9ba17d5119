// Operations per second for each recipe on a healthy real cluster (median of several runs), and
// the share of one CPU the harness itself used while its clients ran.
//
//   flock /tmp/lockstorm-cluster.lock npx tsx bench/workload.ts \
//     [--runs 3] [--seconds 15] [--recipes lwt,...] [--clients 10] [--think 0,20] [--paxos v1|v2]

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster } from '../harness/cluster/index.ts';
import type { CellParams } from '../harness/core/cell.ts';
import { runCellOnCluster } from '../harness/runner/cluster-cell.ts';
import { recipes } from '../workloads/index.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '15' },
    recipes: { type: 'string', default: Object.keys(recipes).join(',') },
    clients: { type: 'string', default: '10' },
    think: { type: 'string', default: '0' },
    paxos: { type: 'string', default: 'v1' },
  },
});
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const thinks = values.think.split(',').map(Number);

interface Sample {
  opsPerSec: number;
  /** Harness CPU time (user + system) over wall time while the clients ran; 1.0 = one core. */
  cpuShare: number;
  infos: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function sample(cluster: Awaited<ReturnType<typeof startCluster>>, params: CellParams, path: string): Promise<Sample> {
  // Progress ticks come every second while the clients run: measure between the first and the
  // last tick inside the run, so schema creation and final reads do not dilute the figures.
  const ticks: { t: number; cpu: NodeJS.CpuUsage; ops: number }[] = [];
  await runCellOnCluster(cluster, params, path, {
    onProgress: (p) => {
      if (p.elapsedMs <= params.durationMs) ticks.push({ t: performance.now(), cpu: process.cpuUsage(), ops: p.ops });
    },
  });
  const f = ticks[0];
  const l = ticks.at(-1);
  if (!f || !l || l === f) throw new Error(`run ${params.name} reported too little progress`);
  const wallMs = l.t - f.t;
  const cpuMs = (l.cpu.user - f.cpu.user + l.cpu.system - f.cpu.system) / 1000;
  const infos = readFileSync(path, 'utf8').split('\n').filter((line) => line.includes('"type":"info"')).length;
  return { opsPerSec: ((l.ops - f.ops) * 1000) / wallMs, cpuShare: cpuMs / wallMs, infos };
}

const dir = mkdtempSync(join(tmpdir(), 'lockstorm-bench-'));
if (values.paxos !== 'v1' && values.paxos !== 'v2') throw new Error(`--paxos: expected v1 or v2, got ${values.paxos}`);
const cluster = await startCluster({ paxosVariant: values.paxos });
const rows: { recipe: string; thinkMs: number; samples: Sample[] }[] = [];
try {
  for (const recipe of values.recipes.split(',')) {
    for (const thinkMs of thinks) {
      const samples: Sample[] = [];
      for (let run = 0; run < runs; run++) {
        const params: CellParams = {
          name: `bench-${recipe}-t${thinkMs}-${run}`,
          recipe,
          writeCl: 'QUORUM',
          readCl: 'QUORUM',
          serialCl: 'SERIAL',
          ttlSeconds: 10,
          keys: 5,
          clients,
          durationMs: seconds * 1000,
          opTimeoutMs: 5_000,
          thinkMs,
          seed: run + 1,
          timestamps: { kind: 'driver' },
          nemesis: null,
        };
        const s = await sample(cluster, params, join(dir, `${params.name}.jsonl`));
        samples.push(s);
        console.error(`${params.name}: ${s.opsPerSec.toFixed(0)} ops/s, harness CPU ${(s.cpuShare * 100).toFixed(1)}%, ${s.infos} info`);
      }
      rows.push({ recipe, thinkMs, samples });
    }
  }
} finally {
  await cluster.teardown();
}

console.log(`\nworkload bench: ${runs} runs × ${seconds} s, ${clients} clients, 5 keys, QUORUM/SERIAL, TTL 10 s, Paxos ${values.paxos}, no faults (medians)\n`);
console.log('| recipe | think ms | ops/s | harness CPU (share of one core) | info ops per run |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  const m = (f: (s: Sample) => number) => median(r.samples.map(f));
  console.log(`| ${r.recipe} | ${r.thinkMs} | ${m((s) => s.opsPerSec).toFixed(0)} | ${(m((s) => s.cpuShare) * 100).toFixed(1)}% | ${m((s) => s.infos)} |`);
}
