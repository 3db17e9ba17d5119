// P-compositionality: a history is linearizable iff each key's sub-history is. Partitions are
// searched round-robin in slices so that one intractable key cannot hide an illegal one, and
// the first illegal partition ends the check. Running out of time yields 'unknown'.

import { PartitionSearch } from './search.ts';
import type { AnyModel, AnyOperation, CheckOptions, CheckResult, IllegalWitness, PartitionWitness } from './types.ts';

const DEFAULT_SLICE = 20_000;

interface Part {
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

export function checkOperations(model: AnyModel, ops: readonly AnyOperation[], options: CheckOptions = {}): CheckResult {
  for (const [i, op] of ops.entries()) {
    if (op.outcome === 'ok' && !(op.return >= op.call)) {
      throw new RangeError(`operation ${i} returns (${op.return}) before it is called (${op.call})`);
    }
  }
  const started = performance.now();
  const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const slice = options.slice ?? DEFAULT_SLICE;
  const parts: Part[] = [...partitionOperations(model, ops)].map(([key, members]) => ({
    key,
    members,
    search: new PartitionSearch(
      model,
      members.map((i) => ops[i]!),
    ),
  }));
  const done: PartitionWitness[] = [];
  let running = parts;
  const base = { ops: ops.length, partitions: parts.length };
  while (running.length > 0) {
    const still: Part[] = [];
    for (const part of running) {
      const status = part.search.run(slice);
      if (status === 'ok') {
        done.push({ key: part.key, order: part.search.linearization().map((j) => part.members[j]!) });
      } else if (status === 'illegal') {
        const partial: IllegalWitness[] = part.search.longestPartials().map((p) => ({
          key: part.key,
          order: p.order.map((j) => part.members[j]!),
          stuck: part.members[p.stuck]!,
        }));
        return { verdict: 'illegal', ...base, partial, linearizations: done };
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
