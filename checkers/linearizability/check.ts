// P-compositionality: a history is linearizable iff each key's sub-history is. Partitions are
// searched round-robin in slices so that one intractable key cannot hide an illegal one, and
// the first illegal partition ends the check. Running out of time yields 'unknown'.

import { PartitionSearch } from './search.ts';
import type { AnyModel, AnyOperation, CheckOptions, CheckResult, IllegalWitness, PartitionWitness } from './types.ts';

// Small enough that an illegal key among many slow ones is reached soon (the search shares the
// time out evenly), large enough that switching costs nothing measurable.
export const DEFAULT_SLICE = 1_000;

export interface Part {
  key: string;
  /** Indexes into the caller's op array. */
  members: number[];
  search: PartitionSearch;
}

export function partitionOperations(model: AnyModel, ops: readonly AnyOperation[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const key = model.partition ? model.partition(op.input) : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  });
  return groups;
}

/** Throws RangeError for an operation that returns before it is called. */
export function validateOperations(ops: readonly AnyOperation[]): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.outcome === 'ok' && !(op.return >= op.call)) {
      throw new RangeError(`operation ${i} returns (${op.return}) before it is called (${op.call})`);
    }
  }
}

export function makeParts(model: AnyModel, ops: readonly AnyOperation[]): Part[] {
  const groups = model.partition ? partitionOperations(model, ops) : new Map([['', Array.from({ length: ops.length }, (_, i) => i)]]);
  return [...groups].map(([key, members]) => ({
    key,
    members,
    search: new PartitionSearch(
      model,
      members.map((i) => ops[i]!),
    ),
  }));
}

export function okWitness(part: Part): PartitionWitness {
  return { key: part.key, order: part.search.linearization().map((j) => part.members[j]!) };
}

export function illegalWitnesses(part: Part): IllegalWitness[] {
  return part.search.longestPartials().map((p) => ({
    key: part.key,
    order: p.order.map((j) => part.members[j]!),
    stuck: part.members[p.stuck]!,
  }));
}

export function checkOperations(model: AnyModel, ops: readonly AnyOperation[], options: CheckOptions = {}): CheckResult {
  validateOperations(ops);
  const started = performance.now();
  const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const slice = options.slice ?? DEFAULT_SLICE;
  const parts = makeParts(model, ops);
  const done: PartitionWitness[] = [];
  let running = parts;
  const base = { ops: ops.length, partitions: parts.length };
  while (running.length > 0) {
    const still: Part[] = [];
    for (const part of running) {
      const status = part.search.run(slice);
      if (status === 'ok') {
        done.push(okWitness(part));
      } else if (status === 'illegal') {
        return { verdict: 'illegal', ...base, partial: illegalWitnesses(part), linearizations: done };
      } else {
        still.push(part);
      }
      if (performance.now() > deadline) {
        const pending = [...still, ...running.slice(running.indexOf(part) + 1)].map((p) => p.key);
        if (pending.length > 0) {
          const reason = `time budget of ${options.timeoutMs} ms exceeded`;
          return { verdict: 'unknown', ...base, reason, pending, linearizations: done };
        }
      }
    }
    running = still;
  }
  return { verdict: 'ok', ...base, linearizations: done };
}
