// Runs one cell: fresh table, N pinned processes doing the workload's operations for the cell's
// duration (with the nemesis alongside when the cell has one), then heal, settle, and the
// workload's final reads. Everything lands in one append-only history, whose last line says
// whether the cell ran its whole course (./cell-end.ts).
//
// The runner knows no cluster and no driver: it is handed executors, a nemesis and a clock
// (./cluster-cell.ts wires them to a real cluster; ./fake/ to an in-memory store).

import type { CompletionEvent, JsonValue } from '../../history/index.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { NemesisRecord } from '../nemesis/index.ts';
import { prng, type Prng } from '../core/prng.ts';
import { UserError } from '../core/errors.ts';
import { recipes } from '../../workloads/index.ts';
import { ownerToken, type FollowUp, type Recipe, type RecipeSettings } from '../../workloads/recipe.ts';
import type { CellParams } from '../core/cell.ts';
import type { ResolvedRecipe } from '../config/recipes.ts';
import type { RunnerClock } from './clock.ts';
import { perform, type Performer } from './perform.ts';
import { endOfCell, monotonicDeadline, type CellEnding } from './cell-end.ts';
import { workloadOf, type Workload } from './workload.ts';
import { criticalSection, finalGuardedReads, seedRecords } from './guarded.ts';
import { WorkerPauses } from './client-pause.ts';
import { guardedResource } from '../../workloads/guarded.ts';
import type { ClientControl } from '../cluster/cluster.ts';
import { externalRecipe } from './external-recipe.ts';
import { takeForensics, type ReplicaIsolation } from './forensics.ts';
import type { ExecutorFactory, PinnedExecutor } from './executors.ts';

export interface RunCellOptions {
  /** The cell's recipe as the config resolved it; default the built-in named by `params.recipe`. */
  recipe?: ResolvedRecipe;
  onProgress?: (p: { elapsedMs: number; ops: number; fault: string | null }) => void;
  signal?: AbortSignal;
  /** Called as each stage of the cell ends, with its wall time (bench/between-cells.ts). */
  onStep?: (step: string, ms: number) => void;
}

export type { ExecutorFactory, PinnedExecutor } from './executors.ts';

/** The faults of a cell, run alongside its clients. */
export interface CellNemesis {
  /**
   * Starts the fault schedule; settles once it has stopped and healed (rejects if it could not).
   * `undone`, when given, is called each time every fault has been undone, before the health
   * check that follows it.
   */
  start(record: NemesisRecord, provided?: RunnerCapabilities, undone?: () => void): Promise<void>;
  /** Ends the schedule: the fault in force is undone, then everything is healed. */
  stop(): void;
  /**
   * Whether undoing the named fault can release what it held back (FaultFamily.holdsBack). The
   * settle before the final reads follows only a cell in which such a fault ran; absent: every
   * fault is taken to hold something back.
   */
  holdsBack?(fault: string): boolean;
}

/** What the runner itself lets the nemesis act on: its clients (client pauses). */
export interface RunnerCapabilities {
  clients: ClientControl;
}

export interface CellDeps {
  executors: ExecutorFactory;
  /** Opens the cell's history (once its table exists), writing `meta` as its first line. */
  openHistory(meta: { recipe: string; params: Record<string, JsonValue> }): HistoryWriter;
  nemesis: CellNemesis | null;
  /** Cuts one node off for the replica forensics (./forensics.ts); absent: forensics are recorded as not taken. */
  isolation?: ReplicaIsolation | null;
  clock: RunnerClock;
}

/**
 * After the last fault is undone, let what it held back land before the final reads: a request
 * Toxiproxy released, or a message a partition or a frozen node delayed, reaches its replica
 * within the write timeout, and a Paxos round within the contention timeout more (2 s and 1 s by
 * default). Counted from the undo, so the health check after it counts too. A cell whose faults
 * held nothing back (clock skew, client pauses) reads at once, as a cell without faults does.
 */
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

/** The Recipe a cell runs on its executors. */
export function lockRecipeOf(resolved: ResolvedRecipe): Recipe {
  // An external client brings its own driver and runs whole operations on its executors
  // (./external-cell.ts); its recipe only names it.
  if (resolved.kind === 'command') return externalRecipe(resolved.name, resolved.command);
  return resolved.recipe;
}

/** How a cell left its cluster. */
export interface CellOutcome {
  /**
   * True when the last thing that changed the cluster was a heal that verified it: the nemesis's
   * final healAll (every family undone and checked, every node healthy), and after it only the
   * forensics' cuts, whose own heal checks itself or fails the cell. A cell without a nemesis
   * proved nothing about the cluster it leaves.
   */
  healedAtEnd: boolean;
}

export async function runCell(deps: CellDeps, params: CellParams, opts: RunCellOptions = {}): Promise<CellOutcome> {
  const workload: Workload = workloadOf(opts.recipe ? lockRecipeOf(opts.recipe) : recipeNamed(params.recipe));
  const { recipe } = workload;
  const { executors, clock } = deps;
  const settings: RecipeSettings = { ttlSeconds: params.ttlSeconds };
  const keys = Array.from({ length: params.keys }, (_, i) => `k${i}`);
  // Each stage's wall time, from the end of the one before.
  let stageStart = performance.now();
  const stage = (name: string): void => {
    const now = performance.now();
    opts.onStep?.(`cell: ${name}`, now - stageStart);
    stageStart = now;
  };

  await executors.prepare(recipe);
  // The record each lock guards, in a table of its own (./guarded.ts).
  const guarded = params.guarded === true;
  const fencing = params.fencing === true;
  if (fencing && !guarded) throw new UserError('fencing: "on" needs guarded: "on" (fencing tokens guard the guarded record)');
  if (fencing && !recipe.fenceToken) throw new UserError(`fencing: recipe ${recipe.name} has no sound fencing token (docs/workloads.md, "Fencing tokens")`);
  if (guarded) await executors.prepare(guardedResource);
  stage('fresh tables');
  const history = deps.openHistory({ recipe: recipe.name, params: params as unknown as Record<string, JsonValue> });
  const opened: PinnedExecutor[] = [];
  let faultNow: string | null = null;
  let completed = 0;
  // Until the cell is seen through, whatever stops it is a failure; the end line is written even then.
  let ending: CellEnding = { status: 'failed', reason: 'the cell stopped before it finished' };
  let healedAtEnd = false;
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

    stage('clients connected');
    const stop = new AbortController();
    const nowMs = (): number => clock.nowMs();
    let stoppedAtMs: number | null = null;
    stop.signal.addEventListener('abort', () => (stoppedAtMs = nowMs()), { once: true });
    const onAbort = () => stop.abort();
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) stop.abort();

    const holdsBack = deps.nemesis?.holdsBack?.bind(deps.nemesis);
    let heldBack = holdsBack === undefined;
    const record: NemesisRecord = (e) => {
      faultNow = e.phase === 'start' ? `${e.fault} ${e.targets.join(',')}` : null;
      if (e.phase === 'start' && holdsBack?.(e.fault)) heldBack = true;
      history.append({ type: 'nemesis', ...e });
    };
    // If the nemesis fails (e.g. cannot start a fault) the clients stop and its error is raised below.
    // Fencing compares tokens against the record's fence: it must exist before the first claim.
    if (fencing) await seedRecords(history, workers[0]!, keys);
    const pauses = new WorkerPauses();
    let undoneAtMs: number | undefined;
    const nemesisOutcome = deps.nemesis?.start(record, { clients: pauses }, () => (undoneAtMs = nowMs())).then(
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
        // A client pause takes hold mid critical section, or right after the acquire without one.
        const checkpoint = () => pauses.checkpoint(w.process, w.node);
        let section: CompletionEvent | null = null;
        if (done.type === 'ok' && done.f === 'acquire') {
          if (guarded) section = await criticalSection(history, recipe, w, { key: done.key, owner: done.owner, fencing, checkpoint });
          else await checkpoint();
        }
        const errored = done.type === 'info' || (done.type === 'fail' && done.error !== undefined);
        if (followUp?.untilOk && done.type !== 'ok' && followUp.attempt < followUp.untilOk.maxAttempts) {
          w.followUps.unshift({ ...followUp, attempt: followUp.attempt + 1 });
          if (followUp.untilOk.pauseMs) await clock.sleep(followUp.untilOk.pauseMs);
        }
        if (op.f === 'acquire' && errored) {
          for (const f of recipe.afterAcquireError?.(op.key, op.owner) ?? []) w.followUps.push({ ...f, attempt: 1 });
        }
        if (done.type === 'info' || section?.type === 'info') {
          // Its operation may still land at any time: this process is done; a fresh one takes over.
          w.process = nextProcess++;
          w.executor.retire?.(w.process);
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

    stage('workload, to the last operation');
    deps.nemesis?.stop();
    const nemesisError = await nemesisOutcome;
    pauses.thawAll();
    faultNow = null;
    if (nemesisError) throw nemesisError;
    healedAtEnd = deps.nemesis !== null;
    stage('faults healed');
    if (deps.nemesis && heldBack) await clock.sleep(Math.max(0, SETTLE_AFTER_FAULTS_MS - (undoneAtMs === undefined ? 0 : nowMs() - undoneAtMs)));
    stage('settle');
    const ranMs = Math.max(0, (stoppedAtMs ?? nowMs()) - workloadStartMs);
    // Before the final reads: they repair the replicas the forensics look at one by one.
    if (!opts.signal?.aborted) await takeForensics({ executors, isolation: deps.isolation ?? null, clock }, history, recipe, settings, nextProcess);
    stage('forensics');
    const missingFinalReads = await finalReads(deps, workload, settings, params, keys, history, nextProcess, opened);
    if (guarded) {
      const finalNode = executors.nodes[0]!;
      const reader = await executors.open(nextProcess + 1, finalNode, Math.max(params.opTimeoutMs, 10_000));
      opened.push(reader);
      const who = { process: nextProcess + 1, node: finalNode, executor: reader };
      missingFinalReads.push(...(await finalGuardedReads(history, who, keys, () => clock.sleep(1000), FINAL_READ_ATTEMPTS)));
    }
    stage('final reads');
    ending = endOfCell({ plannedMs: params.durationMs, ranMs, interrupted: opts.signal?.aborted === true, missingFinalReads });
    const problems = executors.problems?.() ?? [];
    if (problems.length > 0) ending = { status: 'failed', reason: [...problems, ...(ending.reason ? [ending.reason] : [])].join('; ') };
    opts.onProgress?.({ elapsedMs: nowMs() - startedMs, ops: completed, fault: null });
  } catch (err) {
    ending = { status: 'failed', reason: oneLine(err) };
    throw err;
  } finally {
    try {
      history.end(ending.status, ending.reason);
    } finally {
      await Promise.all(opened.map((x) => x.close()));
      stage('clients closed');
    }
  }
  return { healedAtEnd };
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
