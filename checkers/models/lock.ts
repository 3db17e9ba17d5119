// lockstorm's lock model: per key, acquire(owner) / release(owner) / read → free | held(owner).
// Locks are taken with a TTL, so a hold may legitimately expire; the model never calls illegal
// what expiry could explain. Exact semantics: docs/lock-model.md.

import type { Model } from '../linearizability/types.ts';

/** Owners are interned to integers (index into the model's owner table); -1 is "nobody". */
export type LockInput =
  | { f: 'acquire' | 'release'; key: string; owner: number; call: number; ret: number }
  | { f: 'read'; key: string; call: number; ret: number };

/** A read's observation; `owner` null means the recipe stores no owner ("held by someone"). */
export type LockOutput = { f: 'done' } | { f: 'read'; held: false } | { f: 'read'; held: true; owner: number | null };

export interface LockState {
  /** -1 when free. */
  holder: number;
  /** Lower bound on when the holder's acquire took effect. */
  since: number;
  /** Lower bound on "now": every op linearized so far took effect after its call. */
  clock: number;
  /** The holder came from an info acquire that no definite read has observed yet. */
  fresh: boolean;
}

const FREE = -1;

export interface LockModelOptions {
  /** Lock TTL in the unit of the operations' times; Infinity when locks never expire. */
  ttl: number;
  /** Owner names by interned id, for descriptions. */
  owners?: readonly string[];
}

export function createLockModel({ ttl, owners = [] }: LockModelOptions): Model<LockState, LockInput, LockOutput> {
  const name = (o: number | null): string => (o === null ? '(someone)' : (owners[o] ?? `#${o}`));
  /** Could the current hold have expired before an op returning at `ret` took effect? */
  const mayHaveExpired = (s: LockState, ret: number): boolean =>
    s.holder !== FREE && ttl !== Infinity && ret - s.since >= ttl;
  /** The state after an expiry observed by an op: it took effect at or after since + ttl. */
  const expired = (clock: number, s: LockState): LockState => ({
    holder: FREE,
    since: 0,
    clock: Math.max(clock, s.since + ttl),
    fresh: false,
  });
  const transition = (s: LockState, input: LockInput, output: LockOutput | undefined): LockState | undefined => {
    const isInfo = input.ret === Infinity;
    // Taking effect after something that happened at or after `clock`, it must return later.
    if (input.ret < s.clock) return undefined;
    // An info op leaves the clock alone: a looser bound is still sound, and it lets an info op
    // that changes nothing leave the state equal (the search then skips it).
    const clock = isInfo ? s.clock : Math.max(s.clock, input.call);
    let base: LockState = s.clock === clock ? s : { ...s, clock };
    switch (input.f) {
      case 'acquire': {
        // Re-acquiring one's own hold keeps its (possibly earlier) since: that uses the hold.
        if (base.holder === input.owner) return base.fresh && !isInfo ? { ...base, fresh: false } : base;
        if (base.holder !== FREE) {
          if (!mayHaveExpired(base, input.ret)) return undefined;
          base = expired(clock, base);
        }
        // An info acquire may have taken effect long after its call, but the search tends to
        // place it late; dating it from its call keeps expiry permissive wherever it lands.
        const since = isInfo ? input.call : base.clock;
        return { holder: input.owner, since, clock: base.clock, fresh: isInfo };
      }
      case 'release': {
        if (base.holder === input.owner || base.holder === FREE) return { holder: FREE, since: 0, clock: base.clock, fresh: false };
        return mayHaveExpired(base, input.ret) ? expired(clock, base) : undefined;
      }
      case 'read': {
        if (output === undefined || output.f !== 'read') return base;
        if (!output.held) {
          if (base.holder === FREE) return base;
          return mayHaveExpired(base, input.ret) ? expired(clock, base) : undefined;
        }
        if (base.holder === FREE) return undefined;
        if (output.owner !== null && output.owner !== base.holder) return undefined;
        return base.fresh && !isInfo ? { ...base, fresh: false } : base;
      }
    }
  };

  return {
    name: 'lock',
    init: () => ({ holder: FREE, since: 0, clock: -Infinity, fresh: false }),
    step(s, input, output) {
      const next = transition(s, input, output);
      // An info acquire whose hold is discarded before any read observed it changed nothing
      // that leaving it out would not (and leaving it out constrains less): prune this branch,
      // the one without it covers it.
      if (s.fresh && next !== undefined && next.holder !== s.holder) return undefined;
      return next;
    },
    equal: (a, b) => a.holder === b.holder && a.since === b.since && a.clock === b.clock && a.fresh === b.fresh,
    hash: (s) => Math.imul(s.holder + 2, 0x9e3779b1) ^ (s.since % 0x7fffffff) ^ Math.imul(s.clock % 0x7fffffff, 31),
    partition: (input) => input.key,
    describeOperation(input, output) {
      if (input.f !== 'read') return `${input.f}(${name(input.owner)})`;
      if (output === undefined || output.f !== 'read') return 'read → ?';
      return output.held ? `read → held by ${name(output.owner)}` : 'read → free';
    },
    describeState: (s) => (s.holder === FREE ? 'free' : `held by ${name(s.holder)}`),
  };
}
