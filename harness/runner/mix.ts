// Which operation a process asks for next: a seeded mix of acquire, release and read in which a
// process that holds a lock tends to give it back, as lock users do.

import type { LockOp } from '../../history/index.ts';
import type { Prng } from '../core/prng.ts';

export interface MixWeights {
  /** Chance a process holding at least one key releases one of them. */
  release: number;
  /** Otherwise, chance of trying to acquire (the rest are reads). */
  acquire: number;
}

export const DEFAULT_MIX: MixWeights = { release: 0.7, acquire: 0.55 };

export function nextOp(
  rng: Prng,
  keys: readonly string[],
  held: ReadonlyMap<string, string>,
  newOwner: () => string,
  mix: MixWeights = DEFAULT_MIX,
): LockOp {
  const free = keys.filter((k) => !held.has(k));
  if (held.size > 0 && (free.length === 0 || rng.next() < mix.release)) {
    const [key, owner] = rng.pick([...held.entries()]);
    return { f: 'release', key, owner };
  }
  if (rng.next() < mix.acquire) return { f: 'acquire', key: rng.pick(free), owner: newOwner() };
  return { f: 'read', key: rng.pick(keys) };
}
