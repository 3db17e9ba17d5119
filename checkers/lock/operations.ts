// Helpers over the paired operations (history/pair.ts) that the lock checkers share.

import type { LockOperation, OkRead, OwnerOperation } from '../../history/index.ts';

export type { LockOperation, OkRead, OwnerOperation, ReadOp, ReadOperation, Outcome } from '../../history/index.ts';

export function groupByKey<T extends { key: string }>(ops: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const op of ops) {
    let g = groups.get(op.key);
    if (!g) groups.set(op.key, (g = []));
    g.push(op);
  }
  return groups;
}

export function isOkRead(op: LockOperation): op is OkRead {
  return op.f === 'read' && op.outcome === 'ok';
}

/**
 * Who an ok read saw holding the key: an owner token, `unknown` for a held row without an owner
 * column, or null when the key read free.
 */
export function observedHolder(read: OkRead): string | 'unknown' | null {
  if (read.value.state === 'free') return null;
  return typeof read.value.owner === 'string' ? read.value.owner : 'unknown';
}

/**
 * Could this operation's effect fall strictly after position `after` and strictly before position
 * `before`? An ok operation takes effect between its invocation and its completion; an info one at
 * any time after its invocation, or never; a failed one never.
 */
export function couldTakeEffectBetween(op: OwnerOperation, after: number, before: number): boolean {
  if (op.outcome === 'fail') return false;
  return op.invokedAt < before && latestEffectAt(op) > after;
}

/** The last position at which the operation may take effect. */
export function latestEffectAt(op: LockOperation): number {
  return op.outcome === 'ok' ? op.completedAt : op.outcome === 'info' ? Infinity : -Infinity;
}

/** Event indexes proving an operation happened as recorded: its invocation and completion. */
export function eventsOf(op: LockOperation): number[] {
  return op.completion === null ? [op.invoke] : [op.invoke, op.completion];
}

export function witness(...groups: number[][]): number[] {
  return [...new Set(groups.flat())].sort((a, b) => a - b);
}
