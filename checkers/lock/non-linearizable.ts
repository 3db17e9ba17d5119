// The general check: engineer B's linearizability search over the lock model, per key. The
// specific checkers name what broke; this one catches whatever they have no name for.
//
// The reader shortens the model's TTL by Cassandra's one-second expiry granularity (as ttl.ts
// does for the checkers here), so a lock that lapsed a little early is never called illegal.

import type { HistoryEvent } from '../../harness/history/events.ts';
import { checkOperations } from '../linearizability/check.ts';
import type { IllegalWitness } from '../linearizability/types.ts';
import type { LockInput, LockOutput } from '../models/lock.ts';
import { lockModelFor, lockOperations, type LockOperations } from '../readers/lockstorm.ts';
import type { Anomaly } from '../anomaly.ts';
import { witness } from './operations.ts';

/** Operations overlapping the stuck one that are named in its witness, at most. */
const MAX_CONCURRENT_IN_WITNESS = 8;

export interface LinearizabilityFinding {
  search: 'ok' | 'illegal' | 'unknown';
  anomalies: Anomaly[];
}

export function findNonLinearizable(
  events: readonly HistoryEvent[],
  { ttlSeconds, timeoutMs }: { ttlSeconds: number; timeoutMs?: number },
): LinearizabilityFinding {
  const lock = lockOperations(events, { ttlSeconds });
  const model = lockModelFor(lock);
  const result = checkOperations(model, lock.ops, timeoutMs === undefined ? {} : { timeoutMs });
  if (result.verdict !== 'illegal') return { search: result.verdict, anomalies: [] };
  const longest = result.partial[0];
  return { search: 'illegal', anomalies: longest ? [report(lock, longest, model.describeOperation)] : [] };
}

type Describe = ((input: LockInput, output: LockOutput | undefined) => string) | undefined;

function report(lock: LockOperations, partial: IllegalWitness, describe: Describe): Anomaly {
  const { ops, owners } = lock;
  const stuck = ops[partial.stuck]!;
  const stuckEnd = stuck.outcome === 'ok' ? stuck.return : Infinity;
  const lastPlaced = partial.order.length > 0 ? ops[partial.order[partial.order.length - 1]!] : undefined;
  const concurrent = ops
    .filter((op) => op !== stuck && op.input.key === partial.key && op.call < stuckEnd && (op.outcome === 'ok' ? op.return : Infinity) > stuck.call)
    .sort((a, b) => Math.abs(a.call - stuck.call) - Math.abs(b.call - stuck.call))
    .slice(0, MAX_CONCURRENT_IN_WITNESS);
  const named = [stuck, ...(lastPlaced ? [lastPlaced] : []), ...concurrent];
  const ownerIds = new Set<number>();
  for (const op of [stuck, ...(lastPlaced ? [lastPlaced] : [])]) {
    if (op.input.f !== 'read') ownerIds.add(op.input.owner);
    if (op.outcome === 'ok' && op.output.f === 'read' && op.output.held && op.output.owner !== null) ownerIds.add(op.output.owner);
  }
  const what = describe ? describe(stuck.input, stuck.outcome === 'ok' ? stuck.output : undefined) : stuck.input.f;
  const at = stuck.ref ? stuck.ref[stuck.ref.length - 1] : undefined;
  return {
    kind: 'non-linearizable',
    key: partial.key,
    owners: [...ownerIds].map((o) => owners[o] ?? `#${o}`),
    witness: witness(...named.map((op) => op.ref ?? [])),
    explanation:
      `No order of lock ${partial.key}'s operations obeys the lock model: after ${partial.order.length} of them were ` +
      `ordered, ${what}${at === undefined ? '' : ` (event ${at})`} could not be placed.`,
  };
}
