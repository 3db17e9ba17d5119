// Operations per second for each recipe on a healthy real cluster (median of several runs), and
// the share of one CPU the harness itself used while its clients ran.
//
//   flock /tmp/lockstorm-cluster.lock npx tsx bench/workload.ts [--runs 3] [--seconds 15] [--recipes lwt,...]

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster } from '../harness/cluster/index.ts';
import type { CellParams } from '../harness/runner/cell-params.ts';
import { runCell } from '../harness/runner/cell.ts';
import { recipes } from '../workloads/index.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '15' },
    recipes: { type: 'string', default: Object.keys(recipes).join(',') },
    clients: { type: 'string', default: '10' },
  },
});
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const names = values.recipes.split(',');

interface Sample {
  opsPerSec: number;
  /** Harness CPU time (user + system) over wall time while the clients ran; 1.0 = one core. */
  cpuShare: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'lockstorm-bench-'));
const cluster = await startCluster();
const rows: { recipe: string; samples: Sample[] }[] = [];
try {
  for (const recipe of names) {
    const samples: Sample[] = [];
    for (let run = 0; run < runs; run++) {
      const params: CellParams = {
        name: `bench-${recipe}-${run}`,
        recipe,
        writeCl: 'QUORUM',
        readCl: 'QUORUM',
        serialCl: 'SERIAL',
        ttlSeconds: 10,
        keys: 5,
        clients: Number(values.clients),
        durationMs: seconds * 1000,
        opTimeoutMs: 5_000,
        seed: run + 1,
        timestamps: { kind: 'driver' },
        nemesis: null,
      };
      // Progress ticks come every second while the clients run: measure between the first and
      // the last tick inside the run, so schema creation and final reads do not dilute it.
      const ticks: { t: number; cpu: NodeJS.CpuUsage; ops: number }[] = [];
      await runCell(cluster, params, join(dir, `${params.name}.jsonl`), {
        onProgress: (p) => {
          if (p.elapsedMs <= params.durationMs) ticks.push({ t: performance.now(), cpu: process.cpuUsage(), ops: p.ops });
        },
      });
      const f = ticks[0];
      const l = ticks.at(-1);
      if (!f || !l || l === f) throw new Error(`run ${params.name} reported too little progress`);
      const wallMs = l.t - f.t;
      const cpuMs = (l.cpu.user - f.cpu.user + l.cpu.system - f.cpu.system) / 1000;
      samples.push({ opsPerSec: ((l.ops - f.ops) * 1000) / wallMs, cpuShare: cpuMs / wallMs });
      console.error(`${recipe} run ${run + 1}/${runs}: ${samples.at(-1)!.opsPerSec.toFixed(0)} ops/s, CPU ${(samples.at(-1)!.cpuShare * 100).toFixed(1)}%`);
    }
    rows.push({ recipe, samples });
  }
} finally {
  await cluster.teardown();
}

console.log(`\nworkload bench: ${runs} runs × ${seconds} s per recipe, ${values.clients} clients, 5 keys, QUORUM/SERIAL, no faults (medians)\n`);
console.log('| recipe | ops/s | harness CPU (share of one core) |');
console.log('|---|---:|---:|');
for (const r of rows) {
  const ops = median(r.samples.map((s) => s.opsPerSec));
  const cpu = median(r.samples.map((s) => s.cpuShare));
  console.log(`| ${r.recipe} | ${ops.toFixed(0)} | ${(cpu * 100).toFixed(1)}% |`);
}
