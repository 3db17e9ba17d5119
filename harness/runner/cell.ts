// Runs one cell: fresh table, N pinned processes doing a seeded mix of lock operations for the
// cell's duration (with the nemesis alongside when the cell has one), then heal, settle, and
// final reads of every key at SERIAL and at ALL. Everything lands in one append-only history,
// whose last line says whether the cell ran its whole course (./cell-end.ts).

import type cassandra from 'cassandra-driver';
import type { Cluster } from '../cluster/cluster.ts';
import { connectPinned } from '../cluster/driver.ts';
import { DriverExecutor } from '../client/executor.ts';
import type { JsonValue, LockOp } from '../history/events.ts';
import { HistoryWriter } from '../history/writer.ts';
import { runNemesis } from '../nemesis/index.ts';
import { prng, type Prng } from '../nemesis/prng.ts';
import { UserError } from '../cli/errors.ts';
import { recipes } from '../../workloads/index.ts';
import { ownerToken, type Recipe, type RecipeSettings } from '../../workloads/recipe.ts';
import type { CellParams, ReadCL } from './cell-params.ts';
import { nextOp } from './mix.ts';
import { perform, type Performer } from './perform.ts';
import { endOfCell, monotonicDeadline, type CellEnding } from './cell-end.ts';

export interface RunCellOptions {
  onProgress?: (p: { elapsedMs: number; ops: number; fault: string | null }) => void;
  signal?: AbortSignal;
}

/** After faults heal, let hints and in-flight writes land before the final reads. */
const SETTLE_AFTER_FAULTS_MS = 3_000;
const FINAL_READ_ATTEMPTS = 3;
const SCHEMA_TIMEOUT_MS = 60_000;
// A link that is down fails requests in microseconds (NoHostAvailable); without a pause after an
// error a process spins and writes millions of identical failures into the history.
const PAUSE_AFTER_ERROR_MS = 100;

interface Worker extends Performer {
  rng: Prng;
  /** Keys this process holds, with the owner token it acquired them under. */
  held: Map<string, string>;
  /** Releases the recipe's own code sends after a failed acquire, before anything else. */
  cleanups: LockOp[];
  attempts: number;
}

export async function runCell(cluster: Cluster, params: CellParams, historyPath: string, opts: RunCellOptions = {}): Promise<void> {
  const recipe = recipes[params.recipe];
  if (!recipe) throw new UserError(`recipe: unknown recipe "${params.recipe}" (known: ${Object.keys(recipes).join(', ')})`);
  const settings: RecipeSettings = { ttlSeconds: params.ttlSeconds };
  const keys = Array.from({ length: params.keys }, (_, i) => `k${i}`);

  await createTable(cluster, recipe);
  const history = HistoryWriter.create(historyPath, { recipe: recipe.name, params: params as unknown as Record<string, JsonValue> });
  const clients: cassandra.Client[] = [];
  let faultNow: string | null = null;
  let completed = 0;
  // Until the cell is seen through, whatever stops it is a failure; the end line is written even then.
  let ending: CellEnding = { status: 'failed', reason: 'the cell stopped before it finished' };
  try {
    const nodes = cluster.nodes.map((n) => n.name);
    await Promise.all(
      Array.from({ length: params.clients }, async (_, i) => {
        const node = nodes[i % nodes.length]!;
        clients[i] = await connectPinned(cluster, node, { keyspace: cluster.keyspace, requestTimeoutMs: params.opTimeoutMs });
      }),
    );

    const stop = new AbortController();
    const nowMs = (): number => history.now() / 1e6;
    let stoppedAtMs: number | null = null;
    stop.signal.addEventListener('abort', () => (stoppedAtMs = nowMs()), { once: true });
    const onAbort = () => stop.abort();
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) stop.abort();

    const nemesisStop = new AbortController();
    const nemesis = params.nemesis
      ? runNemesis(
          cluster,
          params.nemesis,
          params.seed,
          (e) => {
            faultNow = e.phase === 'start' ? `${e.fault} ${e.targets.join(',')}` : null;
            history.append({ type: 'nemesis', ...e });
          },
          nemesisStop.signal,
        )
      : null;
    // If the nemesis fails (e.g. cannot start a fault) the clients stop and its error is raised below.
    const nemesisOutcome = nemesis?.then(
      () => null,
      (err: unknown) => {
        stop.abort();
        return err;
      },
    );

    const started = Date.now();
    const progress = setInterval(
      () => opts.onProgress?.({ elapsedMs: Date.now() - started, ops: completed, fault: faultNow }),
      1000,
    );
    const workloadStartMs = nowMs();
    const cancelDeadline = monotonicDeadline(params.durationMs, () => stop.abort(), nowMs);
    let nextProcess = params.clients;
    const think = params.thinkMs ?? 0;
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          const w: Worker = {
            process: i,
            node: nodes[i % nodes.length]!,
            executor: new DriverExecutor(client, params),
            rng: prng(params.seed * 1_000 + i),
            held: new Map(),
            cleanups: [],
            attempts: 0,
          };
          while (w.cleanups.length > 0 || !stop.signal.aborted) {
            const op =
              w.cleanups.shift() ?? nextOp(w.rng, keys, w.held, () => ownerToken(w.process, w.attempts++));
            if (op.f === 'release') w.held.delete(op.key);
            const done = await perform(history, recipe, settings, w, op, { cl: clFor(recipe, params, op) });
            completed++;
            if (done.type === 'ok' && done.f === 'acquire') w.held.set(done.key, done.owner);
            const errored = done.type === 'info' || (done.type === 'fail' && done.error !== undefined);
            if (op.f === 'acquire' && errored && recipe.onAcquireError === 'release') w.cleanups.push({ ...op, f: 'release' });
            if (done.type === 'info') {
              // Its operation may still land at any time: this process is done; a fresh one takes over.
              w.process = nextProcess++;
              w.held = new Map();
              w.attempts = 0;
            }
            if (errored && w.cleanups.length === 0) await sleep(PAUSE_AFTER_ERROR_MS * (0.5 + w.rng.next()));
            else if (think > 0 && w.cleanups.length === 0) await sleep(w.rng.next() * 2 * think);
          }
        }),
      );
    } finally {
      cancelDeadline();
      clearInterval(progress);
      opts.signal?.removeEventListener('abort', onAbort);
    }

    nemesisStop.abort();
    const nemesisError = await nemesisOutcome;
    faultNow = null;
    if (nemesisError) throw nemesisError;
    if (nemesis) await sleep(SETTLE_AFTER_FAULTS_MS);
    const ranMs = Math.max(0, (stoppedAtMs ?? nowMs()) - workloadStartMs);
    const missingFinalReads = await finalReads(cluster, recipe, settings, params, keys, history, nextProcess);
    ending = endOfCell({ plannedMs: params.durationMs, ranMs, interrupted: opts.signal?.aborted === true, missingFinalReads });
    opts.onProgress?.({ elapsedMs: Date.now() - started, ops: completed, fault: null });
  } catch (err) {
    ending = { status: 'failed', reason: oneLine(err) };
    throw err;
  } finally {
    try {
      history.end(ending.status, ending.reason);
    } finally {
      await Promise.all(clients.filter(Boolean).map((c) => shutdown(c)));
    }
  }
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

function clFor(recipe: Recipe, p: CellParams, op: LockOp): string {
  if (op.f !== 'read') return p.writeCl;
  return recipe.readLevel === 'serial' ? p.serialCl : p.readCl;
}

async function createTable(cluster: Cluster, recipe: Recipe): Promise<void> {
  const admin = await connectPinned(cluster, cluster.nodes[0]!.name, { requestTimeoutMs: SCHEMA_TIMEOUT_MS });
  try {
    // A fresh table per cell: a new table id, so no Paxos state or data from an earlier cell survives.
    await admin.execute(`DROP TABLE IF EXISTS ${cluster.keyspace}.${recipe.table}`);
    for (const cql of recipe.schema(cluster.keyspace)) await admin.execute(cql);
  } finally {
    await shutdown(admin);
  }
}

/**
 * Every key at SERIAL and at ALL, by one fresh process on a fresh client; retried while they fail.
 * Returns the reads that never got an answer.
 */
async function finalReads(
  cluster: Cluster,
  recipe: Recipe,
  settings: RecipeSettings,
  params: CellParams,
  keys: string[],
  history: HistoryWriter,
  process: number,
): Promise<string[]> {
  const node = cluster.nodes[0]!.name;
  const timeoutMs = Math.max(params.opTimeoutMs, 10_000);
  const client = await connectPinned(cluster, node, { keyspace: cluster.keyspace, requestTimeoutMs: timeoutMs });
  const missing: string[] = [];
  try {
    for (const cl of ['SERIAL', 'ALL'] as const satisfies readonly ReadCL[]) {
      const who: Performer = {
        process,
        node,
        executor: new DriverExecutor(client, { ...params, opTimeoutMs: timeoutMs, forceReadCl: cl }),
      };
      for (const key of keys) {
        let answered = false;
        for (let attempt = 1; attempt <= FINAL_READ_ATTEMPTS && !answered; attempt++) {
          const done = await perform(history, recipe, settings, who, { f: 'read', key }, { cl, final: true });
          answered = done.type === 'ok';
          if (!answered) await sleep(1000);
        }
        if (!answered) missing.push(`${key} at ${cl}`);
      }
    }
  } finally {
    await shutdown(client);
  }
  return missing;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A client whose node was cut off can hang in shutdown; never let that hang the run. */
async function shutdown(client: cassandra.Client): Promise<void> {
  await Promise.race([client.shutdown().catch(() => undefined), sleep(5_000)]);
}
