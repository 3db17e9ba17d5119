// The check on two threads: the main thread searches every partition round-robin (as
// checkOperations does); when that has used 300 ms of CPU time without finishing and at least
// two partitions are left, a worker thread takes every other unfinished partition and searches
// it from the start. Whichever side finishes a partition first decides it: the main thread keeps
// the worker's partitions in its own round-robin once its own are done, so a slow or broken
// worker never delays the verdict, only fails to speed it up. The first illegal partition, on
// either side, ends the check.
//
// A worker rebuilds the model from a ModelSource (models are functions, which cannot be sent).
// Without one, or on a single core, this is checkOperations.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SLICE, checkOperations, illegalWitnesses, makeParts, okWitness, validateOperations, type Part } from './check.ts';
import type { AnyModel, AnyOperation, CheckOptions, CheckResult, IllegalWitness, PartitionWitness } from './types.ts';
import { PENDING, DONE_BY_MAIN, OK_BY_WORKER, ILLEGAL_BY_WORKER, type JobMessage, type ModelSource, type PartReport } from './worker-protocol.ts';

export type { ModelSource } from './worker-protocol.ts';

export interface ParallelOptions extends CheckOptions {
  /** Where a worker finds the model; without it the check stays on this thread. */
  source?: ModelSource;
  /**
   * How long the main thread searches alone before it shares the work, in CPU time of this
   * process (on a loaded machine wall time passes without the search getting anywhere).
   * Default 300 ms.
   */
  soloMs?: number;
}

// Measured on 2 shared cores against Porcupine's own histories: a worker's search code runs
// cold (interpreted, then optimised over its first few hundred milliseconds of work) and at
// best about half as fast per step as the warmed main thread, so sharing a check that the
// main thread finishes within a few hundred milliseconds costs more than it saves (kv 50-client
// histories: 1.4-2.5x the wall time shared than alone). Past this, sharing costs the main
// thread little: it keeps its progress on every partition and resumes the worker's share itself.
const DEFAULT_SOLO_MS = 300;

/** One long-lived worker, started on first need and kept (unreferenced) for later checks. */
class SearchWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<string, (r: PartReport) => void>();
  private readonly arrived = new Map<string, PartReport>();
  broken = false;
  private jobs = 0;

  constructor() {
    this.worker = new Worker(new URL('./search-worker.mjs', import.meta.url));
    this.worker.on('message', (r: PartReport) => {
      const id = `${r.job}:${r.index}`;
      const wake = this.waiting.get(id);
      if (wake) {
        this.waiting.delete(id);
        wake(r);
      } else {
        this.arrived.set(id, r);
      }
    });
    // A worker that cannot start or dies only stops helping: the main thread does all the work.
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
    this.worker.unref();
  }

  private fail(): void {
    this.broken = true;
    if (shared === this) shared = undefined;
  }

  start(source: ModelSource, slice: number, parts: AnyOperation[][], status: Int32Array): number {
    const job = ++this.jobs;
    this.arrived.clear();
    const message: JobMessage = { job, source, slice, parts, status };
    this.worker.postMessage(message);
    return job;
  }

  /** The report for a partition whose status the worker has set (it posts before setting). */
  async report(job: number, index: number): Promise<PartReport> {
    const id = `${job}:${index}`;
    const there = this.arrived.get(id);
    if (there) return there;
    this.worker.ref();
    try {
      return await new Promise<PartReport>((resolve) => this.waiting.set(id, resolve));
    } finally {
      if (this.waiting.size === 0) this.worker.unref();
    }
  }
}

let shared: SearchWorker | undefined;

function searchWorker(): SearchWorker | undefined {
  if (shared?.broken) shared = undefined;
  try {
    shared ??= new SearchWorker();
  } catch {
    return undefined;
  }
  return shared;
}

/** What the search reads of an operation: less to copy to the worker than the whole of it. */
function searchFields(op: AnyOperation): AnyOperation {
  return op.outcome === 'ok'
    ? { process: op.process, input: op.input, call: op.call, outcome: 'ok', return: op.return, output: op.output }
    : { process: op.process, input: op.input, call: op.call, outcome: 'info' };
}

interface Handed {
  part: Part;
  index: number;
}

export async function checkOperationsParallel(model: AnyModel, ops: readonly AnyOperation[], options: ParallelOptions = {}): Promise<CheckResult> {
  const { source } = options;
  if (source === undefined || availableParallelism() < 2) return checkOperations(model, ops, options);
  validateOperations(ops);
  const started = performance.now();
  const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const parts = makeParts(model, ops);
  const soloMs = options.soloMs ?? DEFAULT_SOLO_MS;
  const cpuAtStart = process.cpuUsage();
  const slice = options.slice ?? DEFAULT_SLICE;
  const base = { ops: ops.length, partitions: parts.length };
  const done: PartitionWitness[] = [];
  const unknown = (pending: string[]): CheckResult => ({
    verdict: 'unknown',
    ...base,
    reason: `time budget of ${options.timeoutMs} ms exceeded`,
    pending,
    linearizations: done,
  });
  const illegal = (partial: IllegalWitness[]): CheckResult => ({ verdict: 'illegal', ...base, partial, linearizations: done });

  // Alone first: most histories are decided before sharing would pay for itself.
  let mine = parts;
  while (mine.length > 0 && !(soloMs === 0 && mine.length >= 2)) {
    const still: Part[] = [];
    for (const part of mine) {
      const s = part.search.run(slice);
      if (s === 'ok') done.push(okWitness(part));
      else if (s === 'illegal') return illegal(illegalWitnesses(part));
      else still.push(part);
    }
    mine = still;
    const now = performance.now();
    if (now > deadline && mine.length > 0) return unknown(mine.map((p) => p.key));
    if (mine.length >= 2) {
      const cpu = process.cpuUsage(cpuAtStart);
      if ((cpu.user + cpu.system) / 1000 > soloMs) break;
    }
  }
  if (mine.length === 0) return { verdict: 'ok', ...base, linearizations: done };

  const helper = searchWorker();
  const handed: Handed[] = [];
  if (helper) {
    const kept: Part[] = [];
    mine.forEach((part, i) => (i % 2 === 1 ? handed.push({ part, index: handed.length }) : kept.push(part)));
    mine = kept;
  }
  const status = new Int32Array(new SharedArrayBuffer(4 * (handed.length + 1)));
  const cancel = handed.length; // the last cell: the main thread is done with this job
  const job = helper && handed.length > 0 ? helper.start(source, slice, handed.map((h) => h.part.members.map((i) => searchFields(ops[i]!))), status) : 0;
  const byWorker: Handed[] = [];
  const collect = async (decided: Handed[]): Promise<void> => {
    for (const h of decided) {
      const r = await helper!.report(job, h.index);
      done.push({ key: h.part.key, order: r.order!.map((j) => h.part.members[j]!) });
    }
  };
  try {
    // The main thread's own partitions first, then the worker's that it has not decided yet.
    let queue: Handed[] = mine.map((part) => ({ part, index: -1 }));
    let theirs = handed;
    for (;;) {
      const open: Handed[] = [];
      for (const h of theirs) {
        const st = Atomics.load(status, h.index);
        if (st === ILLEGAL_BY_WORKER) {
          const r = await helper!.report(job, h.index);
          return illegal(r.partials!.map((p) => ({ key: h.part.key, order: p.order.map((j) => h.part.members[j]!), stuck: h.part.members[p.stuck]! })));
        }
        if (st === OK_BY_WORKER) byWorker.push(h);
        else open.push(h);
      }
      theirs = open;
      if (queue.length === 0) {
        queue = theirs;
        theirs = [];
        if (queue.length === 0) break;
      }
      const still: Handed[] = [];
      for (const h of queue) {
        if (h.index >= 0 && Atomics.load(status, h.index) !== PENDING) {
          // Decided by the worker meanwhile: taken up at the top of the next round.
          theirs.push(h);
          continue;
        }
        const s = h.part.search.run(slice);
        if (s === 'running') {
          still.push(h);
          continue;
        }
        if (h.index >= 0 && Atomics.compareExchange(status, h.index, PENDING, DONE_BY_MAIN) !== PENDING) {
          theirs.push(h);
          continue;
        }
        if (s === 'illegal') return illegal(illegalWitnesses(h.part));
        done.push(okWitness(h.part));
      }
      queue = still;
      if (performance.now() > deadline && (queue.length > 0 || theirs.length > 0)) {
        const pending: string[] = [];
        for (const h of [...queue, ...theirs]) {
          const st = h.index < 0 ? PENDING : Atomics.load(status, h.index);
          if (st === OK_BY_WORKER) byWorker.push(h);
          else pending.push(h.part.key);
        }
        await collect(byWorker);
        return unknown(pending);
      }
    }
    await collect(byWorker);
    return { verdict: 'ok', ...base, linearizations: done };
  } finally {
    Atomics.store(status, cancel, 1);
  }
}

