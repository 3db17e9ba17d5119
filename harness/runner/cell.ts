// Runs one cell: fresh table, N pinned processes doing the workload's operations for the cell's
// duration (with the nemesis alongside when the cell has one), then heal, settle, and the
// workload's final reads. Everything lands in one append-only history, whose last line says
// whether the cell ran its whole course (./cell-end.ts).
//
// The runner knows no cluster and no driver: it is handed executors, a nemesis and a clock
// (./cluster-cell.ts wires them to a real cluster; ./fake/ to an in-memory store).

import type { JsonValue } from '../../history/index.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { NemesisRecord } from '../nemesis/index.ts';
import { prng, type Prng } from '../core/prng.ts';
import { UserError } from '../core/errors.ts';
import type { OperationExecutor } from '../client/operation-executor.ts';
import { recipes } from '../../workloads/index.ts';
import { ownerToken, type FollowUp, type Recipe, type RecipeSettings } from '../../workloads/recipe.ts';
import type { CellParams } from '../core/cell.ts';
import type { RunnerClock } from './clock.ts';
import { perform, type Performer } from './perform.ts';
import { endOfCell, monotonicDeadline, type CellEnding } from './cell-end.ts';
import { workloadOf, type Workload } from './workload.ts';

export interface RunCellOptions {
  onProgress?: (p: { elapsedMs: number; ops: number; fault: string | null }) => void;
  signal?: AbortSignal;
}

/** An executor bound to one client of its own; closing it lets the client go. */
export interface PinnedExecutor extends OperationExecutor {
  close(): Promise<void>;
}

/** Where a cell's statements go. */
export interface ExecutorFactory {
  /** The nodes clients are pinned to: process i goes to nodes[i mod n]. */
  readonly nodes: readonly string[];
  /** Makes the recipe's table afresh, so no data or Paxos state survives from an earlier cell. */
  prepare(recipe: Recipe): Promise<void>;
  /** An executor for `process`, pinned to `node`, giving each statement `opTimeoutMs`. */
  open(process: number, node: string, opTimeoutMs: number): Promise<PinnedExecutor>;
}

/** The faults of a cell, run alongside its clients. */
export interface CellNemesis {
  /** Starts the fault schedule; settles once it has stopped and healed (rejects if it could not). */
  start(record: NemesisRecord): Promise<void>;
  /** Ends the schedule: the fault in force is undone, then everything is healed. */
  stop(): void;
}

export interface CellDeps {
  executors: ExecutorFactory;
  /** Opens the cell's history (once its table exists), writing `meta` as its first line. */
  openHistory(meta: { recipe: string; params: Record<string, JsonValue> }): HistoryWriter;
  nemesis: CellNemesis | null;
  clock: RunnerClock;
}

/** After faults heal, let hints and in-flight writes land before the final reads. */
const SETTLE_AFTER_FAULTS_MS = 3_000;
const FINAL_READ_ATTEMPTS = 3;
// A link that is down fails requests in microseconds (NoHostAvailable); without a pause after an
// error a process spins and writes millions of identical failures into the history.
const PAUSE_AFTER_ERROR_MS = 100;

interface Worker extends Performer {
  rng: Prng;
  /** Keys this process holds, with the owner token it acquired them under. */
  held: Map<string, string>;
  /** Operations the recipe's own code sends next, before the process asks for anything else. */
  followUps: Array<FollowUp & { attempt: number }>;
  attempts: number;
}

export function recipeNamed(name: string): Recipe {
  const recipe = recipes[name];
  if (!recipe) throw new UserError(`recipe: unknown recipe "${name}" (known: ${Object.keys(recipes).join(', ')})`);
  return recipe;
}

export async function runCell(deps: CellDeps, params: CellParams, opts: RunCellOptions = {}): Promise<void> {
  const workload: Workload = workloadOf(recipeNamed(params.recipe));
  const { recipe } = workload;
  const { executors, clock } = deps;
  const settings: RecipeSettings = { ttlSeconds: params.ttlSeconds };
  const keys = Array.from({ length: params.keys }, (_, i) => `k${i}`);

  await executors.prepare(recipe);
  const history = deps.openHistory({ recipe: recipe.name, params: params as unknown as Record<string, JsonValue> });
  const opened: PinnedExecutor[] = [];
  let faultNow: string | null = null;
  let completed = 0;
  // Until the cell is seen through, whatever stops it is a failure; the end line is written even then.
  let ending: CellEnding = { status: 'failed', reason: 'the cell stopped before it finished' };
  try {
    const nodes = executors.nodes;
    const workers: Worker[] = await Promise.all(
      Array.from({ length: params.clients }, async (_, i) => {
        const node = nodes[i % nodes.length]!;
        const executor = await executors.open(i, node, params.opTimeoutMs);
        opened.push(executor);
        return { process: i, node, executor, rng: prng(params.seed * 1_000 + i), held: new Map(), followUps: [], attempts: 0 };
      }),
    );

    const stop = new AbortController();
    const nowMs = (): number => clock.nowMs();
    let stoppedAtMs: number | null = null;
    stop.signal.addEventListener('abort', () => (stoppedAtMs = nowMs()), { once: true });
    const onAbort = () => stop.abort();
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) stop.abort();

    const record: NemesisRecord = (e) => {
      faultNow = e.phase === 'start' ? `${e.fault} ${e.targets.join(',')}` : null;
      history.append({ type: 'nemesis', ...e });
    };
    // If the nemesis fails (e.g. cannot start a fault) the clients stop and its error is raised below.
    const nemesisOutcome = deps.nemesis?.start(record).then(
      () => null,
      (err: unknown) => {
        stop.abort();
        return err;
      },
    );

    const startedMs = nowMs();
    const progress = setInterval(() => opts.onProgress?.({ elapsedMs: nowMs() - startedMs, ops: completed, fault: faultNow }), 1000);
    const workloadStartMs = nowMs();
    const cancelDeadline = monotonicDeadline(params.durationMs, () => stop.abort(), nowMs);
    // The timer can only fire on the process's clock; checking between operations keeps the
    // deadline on the cell's clock whatever clock that is.
    const pastDeadline = (): boolean => {
      if (!stop.signal.aborted && nowMs() - workloadStartMs >= params.durationMs) stop.abort();
      return stop.signal.aborted;
    };
    let nextProcess = params.clients;
    const think = params.thinkMs ?? 0;
    // One process: its operations until the deadline, then whatever its recipe still owes.
    const work = async (w: Worker): Promise<void> => {
      while (w.followUps.length > 0 || !pastDeadline()) {
        const followUp = w.followUps.shift();
        const op =
          followUp?.op ??
          workload.generator.next({ rng: w.rng, keys, held: w.held, newOwner: () => ownerToken(w.process, w.attempts++) });
        if (op.f === 'release') w.held.delete(op.key);
        const levels = followUp?.writeCl ? { writeCl: followUp.writeCl } : {};
        const done = await perform(history, recipe, settings, w, op, { levels });
        completed++;
        if (done.type === 'ok' && done.f === 'acquire') w.held.set(done.key, done.owner);
        const errored = done.type === 'info' || (done.type === 'fail' && done.error !== undefined);
        if (followUp?.untilOk && done.type !== 'ok' && followUp.attempt < followUp.untilOk.maxAttempts) {
          w.followUps.unshift({ ...followUp, attempt: followUp.attempt + 1 });
        }
        if (op.f === 'acquire' && errored) {
          for (const f of recipe.afterAcquireError?.(op.key, op.owner) ?? []) w.followUps.push({ ...f, attempt: 1 });
        }
        if (done.type === 'info') {
          // Its operation may still land at any time: this process is done; a fresh one takes over.
          w.process = nextProcess++;
          w.held = new Map();
          w.attempts = 0;
        }
        if (errored && w.followUps.length === 0) await clock.sleep(PAUSE_AFTER_ERROR_MS * (0.5 + w.rng.next()));
        else if (think > 0 && w.followUps.length === 0) await clock.sleep(w.rng.next() * 2 * think);
      }
    };
    try {
      await Promise.all(
        workers.map(async (w) => {
          try {
            await work(w);
          } catch (err) {
            // One process failing stops the others: the cell is over.
            stop.abort();
            throw err;
          }
        }),
      );
    } finally {
      cancelDeadline();
      clearInterval(progress);
      opts.signal?.removeEventListener('abort', onAbort);
    }

    deps.nemesis?.stop();
    const nemesisError = await nemesisOutcome;
    faultNow = null;
    if (nemesisError) throw nemesisError;
    if (deps.nemesis) await clock.sleep(SETTLE_AFTER_FAULTS_MS);
    const ranMs = Math.max(0, (stoppedAtMs ?? nowMs()) - workloadStartMs);
    const missingFinalReads = await finalReads(deps, workload, settings, params, keys, history, nextProcess, opened);
    ending = endOfCell({ plannedMs: params.durationMs, ranMs, interrupted: opts.signal?.aborted === true, missingFinalReads });
    opts.onProgress?.({ elapsedMs: nowMs() - startedMs, ops: completed, fault: null });
  } catch (err) {
    ending = { status: 'failed', reason: oneLine(err) };
    throw err;
  } finally {
    try {
      history.end(ending.status, ending.reason);
    } finally {
      await Promise.all(opened.map((x) => x.close()));
    }
  }
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/**
 * Every key in each of the workload's final-read passes, by one fresh process on a fresh executor;
 * retried while they fail. Returns the reads that never got an answer.
 */
async function finalReads(
  deps: CellDeps,
  workload: Workload,
  settings: RecipeSettings,
  params: CellParams,
  keys: string[],
  history: HistoryWriter,
  process: number,
  opened: PinnedExecutor[],
): Promise<string[]> {
  const node = deps.executors.nodes[0]!;
  const executor = await deps.executors.open(process, node, Math.max(params.opTimeoutMs, 10_000));
  opened.push(executor);
  const who: Performer = { process, node, executor };
  const missing: string[] = [];
  for (const pass of workload.finalReads) {
    for (const key of keys) {
      let answered = false;
      for (let attempt = 1; attempt <= FINAL_READ_ATTEMPTS && !answered; attempt++) {
        const done = await perform(history, workload.recipe, settings, who, { f: 'read', key }, { levels: { readCl: pass.level }, final: true });
        answered = done.type === 'ok';
        if (!answered) await deps.clock.sleep(1000);
      }
      if (!answered) missing.push(`${key} at ${pass.level}`);
    }
  }
  return missing;
}
