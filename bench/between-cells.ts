// What a run spends around its cells, step by step, as medians over the cells of one real run:
// the reset between two cells (heal and verify, truncate), what a cell takes beyond its planned
// duration (fresh table, clients, heal at its end, settle, forensics, final reads), the check
// and the reports.
//
//   flock /tmp/lockstorm-cluster.lock npx tsx bench/between-cells.ts [CONFIG] [--legacy-health]
//
// CONFIG defaults to bench/between-cells.yaml (several short cells on one cluster);
// bench/nightly-slice.yaml is 8 of the nightly's cells. The `cell: …` rows are the stages inside
// each cell (runCell's onStep); `cell: workload, to the last operation` includes its duration.
// --legacy-health: the health check lockstorm used before its CQL ring check (nodetool status in
// every container, then CQL through every proxy, polled each second), for before/after figures.
// (The reset before also waited for health once more after the heal: one more `health wait`.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Cluster } from '../harness/cluster/cluster.ts';
import { loadPlan } from '../harness/config/index.ts';
import { knownNames } from '../harness/config/known.ts';
import { resolveRecipes } from '../harness/config/resolve-recipes.ts';
import { createProgress } from '../harness/matrix/progress.ts';
import { runMatrix } from '../harness/matrix/run-matrix.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'legacy-health': { type: 'boolean', default: false } } });
const configPath = positionals[0] ?? resolve(import.meta.dirname, 'between-cells.yaml');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The health wait as it was: nodetool status in each container, then CQL through each proxy. */
function useLegacyHealth(cluster: Cluster): void {
  const c = cluster as Cluster & { states(): Promise<Map<string, string>>; cqlProblem(n: string): Promise<string | undefined> };
  const waitHealthy = async (timeoutMs = 180_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const states = await c.states();
      if ([...states.values()].every((s) => s === 'UN')) {
        const problems = (await Promise.all(c.nodes.map((n) => c.cqlProblem(n.name)))).filter(Boolean);
        if (problems.length === 0) return;
      }
      await sleep(1000);
    }
    throw new Error('cluster not healthy');
  };
  Object.assign(cluster, { waitHealthy });
}

const steps = new Map<string, number[]>();
const onStep = (step: string, ms: number): void => {
  const list = steps.get(step) ?? [];
  list.push(ms / 1000);
  steps.set(step, list);
};

const loaded = await loadPlan(configPath, knownNames());
const recipes = await resolveRecipes(loaded.config, configPath);
const resultsRoot = mkdtempSync(join(tmpdir(), 'lockstorm-between-cells-'));
const legacy = values['legacy-health'] === true;
const t0 = performance.now();
const run = await runMatrix(loaded, {
  recipes,
  resultsRoot,
  progress: createProgress(process.stderr, false),
  signal: new AbortController().signal,
  onStep,
  onClusterStarted: (cluster) => {
    if (legacy) useLegacyHealth(cluster);
    timeHealthWaits(cluster);
  },
});
const totalS = (performance.now() - t0) / 1000;

/** Every health wait (inside heals, forensics, node recovery) as a step of its own. */
function timeHealthWaits(cluster: Cluster): void {
  const original = cluster.waitHealthy.bind(cluster);
  Object.assign(cluster, { waitHealthy: (ms?: number) => timedStep('health wait (each)', () => original(ms)) });
}

async function timedStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await work();
  } finally {
    onStep(step, performance.now() - t);
  }
}

const cells = run.results.cells;
const plannedS = loaded.plan.cells.reduce((sum, c) => sum + c.params.durationMs / 1000, 0);
process.stdout.write(`${loaded.plan.name}: ${cells.length} cells, ${totalS.toFixed(1)} s in all, ${plannedS} s of it planned cell time; health check ${legacy ? 'legacy (nodetool)' : 'CQL ring'}\n`);
for (const [step, xs] of steps) {
  process.stdout.write(`  ${step.padEnd(36)} median ${median(xs).toFixed(1)} s over ${xs.length} (${xs.map((x) => x.toFixed(1)).join(', ')})\n`);
}
process.stdout.write(`  verdicts: ${cells.map((c) => `${c.name}=${c.verdict}`).join(', ')}\n`);

// A driver client whose shutdown timed out under a fault keeps timers alive: do not hold the lock.
process.exit(0);
