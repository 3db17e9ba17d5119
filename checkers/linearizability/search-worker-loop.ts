// The search worker (see parallel.ts): takes jobs of partitions, searches them round-robin, and
// reports each one it decides before the main thread does. It stops a job as soon as the main
// thread is done with it.

import { parentPort } from 'node:worker_threads';
import { PartitionSearch } from './search.ts';
import type { AnyModel, AnyOperation } from './types.ts';
import { ILLEGAL_BY_WORKER, OK_BY_WORKER, PENDING, type JobMessage, type ModelSource, type PartReport } from './worker-protocol.ts';

const models = new Map<string, AnyModel>();

async function modelOf(source: ModelSource): Promise<AnyModel> {
  const id = JSON.stringify(source);
  let model = models.get(id);
  if (!model) {
    const exported = ((await import(source.module)) as Record<string, unknown>)[source.exportName];
    model = (typeof exported === 'function' ? (exported as (...a: unknown[]) => AnyModel)(...(source.args ?? [])) : exported) as AnyModel;
    models.set(id, model);
  }
  return model;
}

function runJob(model: AnyModel, job: JobMessage): void {
  const { status, slice } = job;
  const cancel = job.parts.length;
  let open = job.parts.map((ops, index) => ({ index, search: new PartitionSearch(model, ops as AnyOperation[]) }));
  while (open.length > 0 && Atomics.load(status, cancel) === 0) {
    const still: typeof open = [];
    for (const p of open) {
      if (Atomics.load(status, p.index) !== PENDING) continue;
      const s = p.search.run(slice);
      if (s === 'running') {
        still.push(p);
        continue;
      }
      const report: PartReport = { job: job.job, index: p.index };
      if (s === 'ok') report.order = p.search.linearization();
      else report.partials = p.search.longestPartials();
      parentPort!.postMessage(report);
      Atomics.compareExchange(status, p.index, PENDING, s === 'ok' ? OK_BY_WORKER : ILLEGAL_BY_WORKER);
      if (s === 'illegal') return;
      if (Atomics.load(status, cancel) !== 0) return;
    }
    open = still;
  }
}

let queue = Promise.resolve();
parentPort!.on('message', (job: JobMessage) => {
  queue = queue.then(async () => runJob(await modelOf(job.source), job));
});
