// Runs every cell of a plan on one cluster, in order, and keeps the results folder complete after
// each cell: a crash or Ctrl-C loses at most the cell in flight, never a recorded history.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Cluster } from '../cluster/cluster.ts';
import { reuseCluster, startCluster } from '../cluster/index.ts';
import { UserError } from '../core/errors.ts';
import type { LoadedPlan, PlannedCell } from '../config/index.ts';
import type { RecipeCatalog } from '../config/recipes.ts';
import { serverKey } from '../config/expand.ts';
import { checkCell } from '../report/check-cell.ts';
import { runFolderName } from '../report/run-folder.ts';
import type { CellReportInput } from '../report/html.ts';
import { CONFIG_COPY } from '../report/rebuild.ts';
import { cellHistoryPath, endOf, failedCell, withServerVersion, type RunResults } from '../report/results.ts';
import { collectResults, writeReports } from '../report/write.ts';
import { runCellOnCluster } from '../runner/cluster-cell.ts';
import { resetBetweenCells, timed, type OnStep } from './between-cells.ts';
import { LiveCheck } from './live-check.ts';
import type { Progress } from './progress.ts';

export interface MatrixRunOptions {
  /** Every recipe name the plan uses, resolved (config/resolve-recipes.ts); default: built-ins only. */
  recipes?: RecipeCatalog;
  resultsRoot: string;
  progress: Progress;
  /** Aborted on Ctrl-C: the cell in flight stops and heals, the rest are not started. */
  signal: AbortSignal;
  /** Called after each cluster start (the cluster module installs its own signal hooks then). */
  onClusterStarted?: (cluster: Cluster) => void;
  /** Called as each step between and around cells ends, with its duration (bench/between-cells.ts). */
  onStep?: OnStep;
  now?: Date;
}

export interface MatrixRun {
  dir: string;
  report: string;
  results: RunResults;
  interrupted: boolean;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

function describeServer(cell: PlannedCell): string {
  const s = cell.server;
  return `Cassandra ${s.cassandraVersion}, paxos ${s.paxosVariant}, write/read/cas timeouts ${s.writeRequestTimeoutMs}/${s.readRequestTimeoutMs}/${s.casContentionTimeoutMs} ms`;
}

export async function runMatrix(loaded: LoadedPlan, opts: MatrixRunOptions): Promise<MatrixRun> {
  const { plan, config } = loaded;
  const { progress, signal } = opts;
  const dir = join(opts.resultsRoot, runFolderName(plan.name, opts.now ?? new Date()));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, CONFIG_COPY), loaded.text);
  progress.note(`lockstorm: ${plan.cells.length} cell${plan.cells.length === 1 ? '' : 's'} → ${dir}`);

  const inputs: CellReportInput[] = [];
  let report = join(dir, 'report.html');
  let cluster: Cluster | null = null;
  let clusterKey = '';
  // A cluster this run found running (`lockstorm cluster up`) and did not start: never torn down.
  let borrowed = false;
  let reuseTried = false;
  // The cell before left the cluster with a verified heal (runCell's CellOutcome).
  let healedAtEnd = false;
  // The reports after a cell are written while the next cell sets up (they read a copy of the
  // inputs); each cell waits for the ones before, so a write that fails stops the run one cell late.
  let reportsWritten: Promise<void> = Promise.resolve();
  let fatal: string | null = null;
  const dropCluster = async (): Promise<void> => {
    const c = cluster;
    if (borrowed) return;
    cluster = null;
    if (c) await c.teardown().catch((err: unknown) => progress.note(`lockstorm: teardown failed: ${oneLine(err)}`));
  };
  /** The cluster left running, if it is the one every cell needs; throws (one line) when one runs that is not. */
  const reuseRunning = async (cell: PlannedCell): Promise<Cluster | null> => {
    const outcome = await reuseCluster(cell.server, { provider: config.cluster.provider });
    if (!outcome) return null;
    const others = plan.cells.filter((c) => serverKey(c.server) !== serverKey(cell.server)).map((c) => c.params.name);
    const refused = 'refused' in outcome ? outcome.refused : others.length > 0 ? `cells ${others.join(', ')} need other server settings` : null;
    if (refused !== null) {
      throw new UserError(`a lockstorm cluster is already running, but not the one this run needs (${refused}): \`lockstorm cluster down\` removes it`);
    }
    return (outcome as { cluster: Cluster }).cluster;
  };

  try {
    for (const [i, cell] of plan.cells.entries()) {
      if (signal.aborted || fatal !== null) {
        inputs.push({ result: failedCell(cell, `not run: ${fatal ?? 'the run was interrupted'}`), events: [] });
        continue;
      }
      progress.cellStarted(i, plan.cells.length, cell.params.name);
      let runError: string | null = null;
      let reported: Record<string, string> | undefined;
      try {
        let current: Cluster;
        let running: Cluster | null = null;
        if (!cluster && !reuseTried) {
          reuseTried = true;
          // A cluster that is not the one needed blocks every start (one cluster at a time): stop here.
          running = await reuseRunning(cell).catch((err: unknown) => {
            fatal = oneLine(err);
            throw err;
          });
        }
        if (running) {
          cluster = current = running;
          clusterKey = serverKey(cell.server);
          borrowed = true;
          progress.note(`lockstorm: reusing the running cluster left by \`lockstorm cluster up\` (${describeServer(cell)}); it stays up after the run`);
          opts.onClusterStarted?.(current);
        }
        if (cluster && clusterKey === serverKey(cell.server)) {
          current = cluster;
          try {
            await resetBetweenCells(current, opts.onStep, healedAtEnd);
          } catch (err) {
            // Not ours to replace with a fresh one: the run stops here.
            if (borrowed) fatal = `the running cluster could not be healed: ${oneLine(err)}`;
            throw err;
          }
        } else {
          await dropCluster();
          progress.note(`lockstorm: starting the cluster (${describeServer(cell)})`);
          try {
            current = await timed('cluster start', opts.onStep, () => startCluster(cell.server, { provider: config.cluster.provider, cluster: config.cluster }));
          } catch (err) {
            // Every later cell would fail the same way, each after minutes of trying.
            fatal = `the cluster could not be started: ${oneLine(err)}`;
            throw err;
          }
          cluster = current;
          clusterKey = serverKey(cell.server);
          opts.onClusterStarted?.(current);
        }
        reported = current.serverVersion?.reported;
        const historyPath = join(dir, cellHistoryPath(cell.params.name));
        await mkdir(dirname(historyPath), { recursive: true });
        const live = new LiveCheck(historyPath, cell.params.ttlSeconds);
        try {
          const recipe = opts.recipes?.get(cell.params.recipe);
          const cellStart = performance.now();
          healedAtEnd = false;
          ({ healedAtEnd } = await runCellOnCluster(current, cell.params, historyPath, {
            ...(recipe ? { recipe } : {}),
            signal,
            ...(opts.onStep ? { onStep: opts.onStep } : {}),
            onProgress: (p) => progress.tick({ ...p, durationMs: cell.params.durationMs, anomalies: live.anomalies }),
          }));
          opts.onStep?.('in the cell, beyond its duration', performance.now() - cellStart - cell.params.durationMs);
        } finally {
          await live.stop();
        }
      } catch (err) {
        runError = `run failed: ${oneLine(err)}`;
        // A cell that failed may have left faults or a sick node: the next cell gets a fresh cluster.
        await dropCluster();
      }
      const checked = await timed('check', opts.onStep, () => checkCell(dir, cell, { timeoutMs: config.check_timeout_s * 1000, minOps: config.min_ops }));
      // The history's end line already carries how the cell ended (and every re-check reads it
      // there); only a cell that stopped before or without one needs the error said here.
      if (runError !== null && endOf(checked.events) === null) {
        checked.result = { ...checked.result, error: runError, met: false };
      }
      checked.result = withServerVersion(checked.result, cell.server.cassandraVersion, reported);
      await reportsWritten;
      inputs.push(checked);
      progress.cellFinished(checked.result);
      const sofar = [...inputs];
      reportsWritten = timed('reports', opts.onStep, () => writeReports(dir, collectResults(plan.name, basename(dir), sofar), sofar)).then((path) => {
        report = path;
      });
      // Raised where it is awaited (above, or after the last cell), not as an unhandled rejection.
      reportsWritten.catch(() => undefined);
    }
    await reportsWritten;
  } finally {
    await dropCluster();
  }
  const results = collectResults(plan.name, basename(dir), inputs);
  report = await writeReports(dir, results, inputs);
  return { dir, report, results, interrupted: signal.aborted };
}
