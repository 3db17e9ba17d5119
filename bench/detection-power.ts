// Detection power: each incident config's seed-specific cell, run with several seeds on one real
// cluster, and in how many of them lockstorm named the seed's own anomaly (`ghost-lock` for the
// write-then-delete incident, `torn-row` for the timestamp tie), with the median time to it.
//
//   flock /tmp/lockstorm-cluster.lock npx tsx bench/detection-power.ts \
//     [--seeds 10] [--first-seed 101] [--wtd-seconds 40] [--tie-seconds 20] [--results /tmp/detection-power] [--forensics] [--only wtd|tie]
//
// Every cell runs on one cluster, reset between cells as `lockstorm run` does, and is checked as
// `run` checks it. Replica forensics are off unless --forensics: they come after the anomalies
// they look at, and change nothing of what is detected or when.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLockstormFile } from '../checkers/readers/lockstorm.ts';
import type { AnomalyKind } from '../checkers/anomaly.ts';
import { loadPlan, type LoadedPlan, type PlannedCell } from '../harness/config/index.ts';
import { knownNames } from '../harness/config/known.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startCluster } from '../harness/cluster/index.ts';
import type { Cluster } from '../harness/cluster/cluster.ts';
import { resetBetweenCells } from '../harness/matrix/between-cells.ts';
import { checkCell } from '../harness/report/check-cell.ts';
import { cellHistoryPath, firstAnomalySeconds, type CellResult } from '../harness/report/results.ts';
import { runCell } from '../harness/runner/cell.ts';
import { clusterExecutors, clusterNemesis } from '../harness/runner/cluster-cell.ts';
import { clusterIsolation } from '../harness/runner/forensics-cluster.ts';
import { realClock } from '../harness/runner/clock.ts';
import { HistoryWriter } from '../harness/history/writer.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    'first-seed': { type: 'string', default: '101' },
    'wtd-seconds': { type: 'string', default: '40' },
    'tie-seconds': { type: 'string', default: '20' },
    results: { type: 'string', default: '/tmp/detection-power' },
    // Off by default: they do not change what is detected, and cost about 30 s a cell.
    forensics: { type: 'boolean', default: false },
    // `wtd` or `tie` runs one incident's cells only.
    only: { type: 'string' },
  },
});
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => Number(values['first-seed']) + i);

interface Incident {
  config: string;
  /** The cell that runs the seed's own path. */
  pick: (c: PlannedCell) => boolean;
  kind: AnomalyKind;
  seconds: number;
  short: string;
}

const incidents: Incident[] = [
  {
    config: 'configs/incident-write-then-delete.yaml',
    pick: (c) => c.params.recipe === 'write-then-delete',
    kind: 'ghost-lock',
    seconds: Number(values['wtd-seconds']),
    short: 'wtd',
  },
  {
    config: 'configs/incident-timestamp-tie.yaml',
    pick: (c) => c.params.timestamps.kind === 'tie' && c.params.ttlSeconds === 0,
    kind: 'torn-row',
    seconds: Number(values['tie-seconds']),
    short: 'tie',
  },
];

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const known = knownNames();
  const cells: PlannedCell[] = [];
  let base: LoadedPlan | null = null;
  for (const inc of incidents.filter((i) => !values.only || i.short === values.only)) {
    const loaded = await loadPlan(inc.config, known);
    base ??= loaded;
    const cell = loaded.plan.cells.find(inc.pick);
    if (!cell) throw new Error(`${inc.config}: no seed-specific cell`);
    for (const seed of seeds) {
      cells.push({ ...cell, params: { ...cell.params, name: `${inc.short}-seed${seed}`, seed, durationMs: inc.seconds * 1000 } });
    }
  }
  const dir = join(values.results, `detection-power-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const config = base!.config;
  const results: CellResult[] = [];
  const started = Date.now();
  let cluster: Cluster | null = null;
  try {
    for (const [i, cell] of cells.entries()) {
      if (cluster) await resetBetweenCells(cluster);
      else cluster = await startCluster(cell.server, { provider: config.cluster.provider, cluster: config.cluster });
      const path = join(dir, cellHistoryPath(cell.params.name));
      mkdirSync(dirname(path), { recursive: true });
      const c: Cluster = cluster;
      const ran = runCell(
        {
          executors: clusterExecutors(c, cell.params),
          openHistory: (meta) => HistoryWriter.create(path, meta),
          nemesis: clusterNemesis(c, cell.params),
          isolation: values.forensics ? clusterIsolation(c) : null,
          clock: realClock,
        },
        cell.params,
      );
      await ran.catch(async (err: unknown) => {
        // A cell that failed may leave a sick cluster: the next cell gets a fresh one.
        process.stderr.write(`${cell.params.name}: run failed: ${err instanceof Error ? err.message : String(err)}\n`);
        await c.teardown().catch(() => undefined);
        cluster = null;
      });
      const checked = await checkCell(dir, cell, { timeoutMs: config.check_timeout_s * 1000, minOps: config.min_ops });
      results.push(checked.result);
      process.stderr.write(`[${i + 1}/${cells.length}] ${cell.params.name}: ${checked.result.verdict}, first_anomaly_s ${checked.result.first_anomaly_s ?? 'none'} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  } finally {
    await (cluster as Cluster | null)?.teardown();
  }
  const wallS = (Date.now() - started) / 1000;
  const run = { dir, results: { cells: results } };

  const lines = ['| incident cell | seed anomaly | cell s | named in | median first (that kind) s | median first_anomaly_s | max first (that kind) s |', '|---|---|---|---|---|---|---|'];
  for (const inc of incidents.filter((i) => !values.only || i.short === values.only)) {
    const mine = run.results.cells.filter((c) => c.name.startsWith(`${inc.short}-seed`));
    const named = mine.filter((c) => c.anomalies.some((a) => a.kind === inc.kind));
    const firstOfKind = named.map((c) => firstOfKindSeconds(run.dir, c, inc.kind)).filter((x): x is number => x !== null);
    const firstAny = mine.map((c) => c.first_anomaly_s).filter((x): x is number => typeof x === 'number');
    lines.push(
      `| ${inc.config} (${incidents.indexOf(inc) === 0 ? 'recipe write-then-delete' : 'timestamps tie, ttl_s 0'}) | ${inc.kind} | ${inc.seconds} | ${named.length} of ${mine.length} | ${fmt(median(firstOfKind))} | ${fmt(median(firstAny))} | ${fmt(firstOfKind.length ? Math.max(...firstOfKind) : null)} |`,
    );
    for (const c of mine) {
      const n = c.anomalies.filter((a) => a.kind === inc.kind).length;
      process.stdout.write(`${c.name}: ${c.verdict}, ${n} ${inc.kind}, first_anomaly_s ${c.first_anomaly_s ?? 'none'}${c.error ? `, error: ${c.error}` : ''}\n`);
    }
  }
  process.stdout.write(`\n${lines.join('\n')}\n\nseeds ${seeds.join(', ')}; wall ${wallS.toFixed(0)} s; run folder ${run.dir}\n`);
  setTimeout(() => process.exit(), 2000).unref();
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(1));

/** Seconds into the cell at which the first anomaly of `kind` was proven. */
function firstOfKindSeconds(dir: string, cell: CellResult, kind: AnomalyKind): number | null {
  const events = readLockstormFile(join(dir, cell.history));
  return firstAnomalySeconds(events, cell.anomalies.filter((a) => a.kind === kind));
}

await main();
