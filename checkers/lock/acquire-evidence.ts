// Whether an acquire could still take effect inside a window: the question behind resurrected
// locks and lost releases. Owner tokens are fresh per acquire, so an owner appears in at most
// one acquire; an acquire takes effect once, so once a read has seen its owner holding, it can
// no longer take effect after that read. One key's operations, indexed by owner.

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
  readonly acquires: OwnerOperation[] = [];
  private readonly acquiresBy = new Map<string, OwnerOperation[]>();
  private readonly releasesBy = new Map<string, OwnerOperation[]>();
  /** Ok reads that saw each owner holding, in order of invocation. */
  private readonly seenBy = new Map<string, OkRead[]>();
  /** For each owner, the first read to complete among those that saw it holding. */
  private readonly firstSeenBy = new Map<string, OkRead>();

  /** `ops` are one key's operations. */
  constructor(ops: readonly LockOperation[]) {
    for (const op of ops) {
      if (op.f === 'acquire') {
        this.acquires.push(op);
        push(this.acquiresBy, op.owner, op);
      } else if (op.f === 'release') {
        push(this.releasesBy, op.owner, op);
      } else if (isOkRead(op)) {
        const holder = observedHolder(op);
        if (holder !== null && holder !== 'unknown') push(this.seenBy, holder, op);
      }
    }
    for (const [owner, reads] of this.seenBy) {
      reads.sort((a, b) => a.invokedAt - b.invokedAt);
      this.firstSeenBy.set(owner, reads.reduce((first, r) => (r.completedAt < first.completedAt ? r : first)));
    }
  }

  acquiresOf(owner: string): OwnerOperation[] {
    return this.acquiresBy.get(owner) ?? [];
  }

  releasesOf(owner: string): OwnerOperation[] {
    return this.releasesBy.get(owner) ?? [];
  }

  /** Ok reads that saw `owner` holding, in order of invocation. */
  readsSeeing(owner: string): OkRead[] {
    return this.seenBy.get(owner) ?? [];
  }

  /**
   * Could `acquire` take effect strictly between positions `after` and `before`? Not if it
   * failed, was invoked too late, completed too early, or a read completed before `after` already
   * saw its owner holding (it had taken effect by then).
   */
  couldExplain(acquire: OwnerOperation, after: number, before: number): boolean {
    if (!couldTakeEffectBetween(acquire, after, before)) return false;
    const seen = this.firstSeen(acquire.owner);
    return !(seen && seen.completedAt < after);
  }

  /** Events that show why `acquire` cannot take effect after `after`. */
  ruledOutBy(acquire: OwnerOperation, after: number): number[] {
    if (acquire.outcome === 'fail' || (acquire.outcome === 'ok' && acquire.completedAt < after)) return eventsOf(acquire);
    const seen = this.firstSeen(acquire.owner);
    return seen ? [...eventsOf(acquire), ...eventsOf(seen)] : eventsOf(acquire);
  }

  private firstSeen(owner: string): OkRead | undefined {
    return this.firstSeenBy.get(owner);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
