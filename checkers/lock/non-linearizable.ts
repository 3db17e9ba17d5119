// The general check: the linearizability search over the lock model, per key. The specific
// checkers name what broke; this one catches whatever they have no name for. Its model takes the
// TTL from the context's bounds, so a lock that lapsed within Cassandra's expiry granularity is
// never called illegal. Its result (model, operations, search) is also what the report draws.

import { checkOperations } from '../linearizability/check.ts';
import type { IllegalWitness } from '../linearizability/types.ts';
import type { LockInput, LockOutput } from '../models/lock.ts';
import { lockModelFor, lockModelOperations, type LockOperations } from '../readers/lockstorm.ts';
import type { Anomaly } from '../anomaly.ts';
import type { Checker } from './checker.ts';
import { witness } from './operations.ts';

/** Operations overlapping the stuck one that are named in its witness, at most. */
const MAX_CONCURRENT_IN_WITNESS = 8;

export const nonLinearizable: Checker = {
  name: 'non-linearizable',
  check: (history, { ttl, timeoutMs }) => {
    const lock = lockModelOperations(history, ttl);
    const model = lockModelFor(lock);
    const result = checkOperations(model, lock.ops, { timeoutMs });
    const picture = { model, ops: lock.ops, result };
    if (result.verdict === 'unknown') return { anomalies: [], undecided: 'the linearizability search ran out of its budget', picture };
    if (result.verdict !== 'illegal') return { anomalies: [], picture };
    const longest = result.partial[0];
    return { anomalies: longest ? [report(lock, longest, model.describeOperation)] : [], picture };
  },
};

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
