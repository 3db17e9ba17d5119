// Whether an acquire could still take effect inside a window: the question behind resurrected
// locks and lost releases. Owner tokens are fresh per acquire, so an owner appears in at most
// one acquire; an acquire takes effect once, so once a read has seen its owner holding, it can
// no longer take effect after that read.

import {
  couldTakeEffectBetween,
  eventsOf,
  isOkRead,
  observedHolder,
  type LockOperation,
  type OkRead,
  type OwnerOperation,
} from './operations.ts';

export class AcquireEvidence {
  private readonly byOwner = new Map<string, OwnerOperation[]>();
  private readonly firstSeen = new Map<string, OkRead>();
  readonly acquires: OwnerOperation[];

  /** `ops` are one key's operations. */
  constructor(ops: readonly LockOperation[]) {
    this.acquires = ops.filter((op): op is OwnerOperation => op.f === 'acquire');
    for (const a of this.acquires) {
      const list = this.byOwner.get(a.owner) ?? [];
      list.push(a);
      this.byOwner.set(a.owner, list);
    }
    for (const op of ops) {
      if (!isOkRead(op)) continue;
      const holder = observedHolder(op);
      if (holder === null || holder === 'unknown') continue;
      const seen = this.firstSeen.get(holder);
      if (!seen || op.completedAt < seen.completedAt) this.firstSeen.set(holder, op);
    }
  }

  acquiresOf(owner: string): OwnerOperation[] {
    return this.byOwner.get(owner) ?? [];
  }

  /**
   * Could `acquire` take effect strictly between positions `after` and `before`? Not if it
   * failed, was invoked too late, completed too early, or a read completed before `after` already
   * saw its owner holding (it had taken effect by then).
   */
  couldExplain(acquire: OwnerOperation, after: number, before: number): boolean {
    if (!couldTakeEffectBetween(acquire, after, before)) return false;
    const seen = this.firstSeen.get(acquire.owner);
    return !(seen && seen.completedAt < after);
  }

  /** Events that show why `acquire` cannot take effect after `after`. */
  ruledOutBy(acquire: OwnerOperation, after: number): number[] {
    if (acquire.outcome === 'fail' || (acquire.outcome === 'ok' && acquire.completedAt < after)) return eventsOf(acquire);
    const seen = this.firstSeen.get(acquire.owner);
    return seen ? [...eventsOf(acquire), ...eventsOf(seen)] : eventsOf(acquire);
  }
}
