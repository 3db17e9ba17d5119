// A cell on a real cluster: executors on driver clients pinned through each node's proxy, the
// nemesis acting on the cluster, the process's monotonic clock. The one place the runner meets
// the driver and the cluster.

import type cassandra from 'cassandra-driver';
import type { Cluster } from '../cluster/cluster.ts';
import { connectPinned, localSchemaVersion, shutdownWithin, waitForSchemaOnEveryNode } from '../cluster/driver.ts';
import { serverMeta } from '../cluster/release-version.ts';
import { DriverExecutor, type TableShapes } from '../client/executor.ts';
import { HistoryWriter } from '../history/writer.ts';
import { holdsBack, runNemesis, withRunnerCapabilities } from '../nemesis/index.ts';
import type { Recipe } from '../../workloads/recipe.ts';
import type { CellParams } from '../core/cell.ts';
import { realClock } from './clock.ts';
import { clusterIsolation } from './forensics-cluster.ts';
import { externalExecutors } from './external-cell.ts';
import { dirname } from 'node:path';
import { runCell, type CellNemesis, type CellOutcome, type ExecutorFactory, type PinnedExecutor, type RunCellOptions } from './cell.ts';

const SCHEMA_TIMEOUT_MS = 60_000;
const SHUTDOWN_WAIT_MS = 1_000;

/** A cell's clients hold nothing a later cell uses: past a second, one still closing is left to finish. */
const shutdown = (client: cassandra.Client): Promise<void> => shutdownWithin(client, SHUTDOWN_WAIT_MS);

export function clusterExecutors(cluster: Cluster, params: CellParams): ExecutorFactory {
  // Table columns for tie mode, looked up once per table for the whole cell.
  const shapes: TableShapes = new Map();
  return {
    nodes: cluster.nodes.map((n) => n.name),
    async prepare(recipe: Recipe) {
      // Schema changes are timestamped mutations of system_schema, which every node merges to the
      // same result in whatever order they reach it: one wait after the last change, rather than
      // one after each (about a second each), and each node asked for its own version.
      const admins = await Promise.all(
        cluster.nodes.map((n) => connectPinned(cluster, n.name, { requestTimeoutMs: SCHEMA_TIMEOUT_MS, agreeAfterEachChange: false })),
      );
      try {
        const admin = admins[0]!;
        const before = await localSchemaVersion(admin);
        // A fresh table per cell: a new table id, so no Paxos state or data from an earlier cell survives.
        await admin.execute(`DROP TABLE IF EXISTS ${cluster.keyspace}.${recipe.table}`);
        for (const cql of recipe.schema(cluster.keyspace)) await admin.execute(cql);
        await waitForSchemaOnEveryNode(admins, before, SCHEMA_TIMEOUT_MS);
      } finally {
        await Promise.all(admins.map(shutdown));
      }
    },
    async open(_process, node, opTimeoutMs): Promise<PinnedExecutor> {
      const client = await connectPinned(cluster, node, { keyspace: cluster.keyspace, requestTimeoutMs: opTimeoutMs });
      const executor = new DriverExecutor(client, { ...params, opTimeoutMs }, shapes);
      return Object.assign(executor, { close: () => shutdown(client) });
    },
  };
}

export function clusterNemesis(cluster: Cluster, params: CellParams): CellNemesis | null {
  const spec = params.nemesis;
  if (!spec) return null;
  const stop = new AbortController();
  return {
    start: (record, provided, undone) => runNemesis(provided ? withRunnerCapabilities(cluster, provided) : cluster, spec, params.seed, record, stop.signal, undone),
    stop: () => stop.abort(),
    holdsBack,
  };
}

const externalNoIsolation = {
  unavailable: "an external client's reads are its own code: lockstorm cannot read its rows replica by replica",
  isolate: () => Promise.reject(new Error('no replica isolation for an external client')),
  heal: () => Promise.resolve(),
};

/** Runs one cell on `cluster`, recording its history at `historyPath` (which must not exist). */
export function runCellOnCluster(cluster: Cluster, params: CellParams, historyPath: string, opts: RunCellOptions = {}): Promise<CellOutcome> {
  // An external client (docs/clients.md) runs in children of its own, logging beside the history.
  const external = opts.recipe?.kind === 'command' ? opts.recipe : null;
  return runCell(
    {
      executors: external ? externalExecutors(cluster, params, external, dirname(historyPath)) : clusterExecutors(cluster, params),
      openHistory: (meta) => HistoryWriter.create(historyPath, { ...meta, params: { ...meta.params, ...serverMeta(cluster) } }),
      nemesis: clusterNemesis(cluster, params),
      // Replica forensics read through the recipe's own statements, which an external client keeps to itself.
      isolation: external ? externalNoIsolation : clusterIsolation(cluster),
      clock: realClock,
    },
    params,
    opts,
  );
}
