// What a cell runs: a recipe, the generator that picks each process's next operation, and the
// final reads made once the clients have stopped and the faults have healed.

import type { LockOp } from '../../history/index.ts';
import type { Prng } from '../core/prng.ts';
import type { Recipe } from '../../workloads/recipe.ts';
import type { ReadCL } from '../core/cell.ts';
import { DEFAULT_MIX, nextOp, type MixWeights } from './mix.ts';

/** What a generator knows of the process it picks for. */
export interface ProcessView {
  rng: Prng;
  keys: readonly string[];
  /** Keys the process holds, with the owner token it acquired them under. */
  held: ReadonlyMap<string, string>;
  /** A fresh owner token for an acquire. */
  newOwner: () => string;
}

export interface OpGenerator {
  next(p: ProcessView): LockOp;
}

/** One pass of final reads: every key, read at `level` whatever level the recipe asks for. */
export interface FinalReadPass {
  level: ReadCL;
}

export interface Workload {
  recipe: Recipe;
  generator: OpGenerator;
  /** Passes in order; each reads every key in key order. */
  finalReads: readonly FinalReadPass[];
}

/** The seeded acquire/release/read mix of ./mix.ts. */
export function mixGenerator(mix: MixWeights = DEFAULT_MIX): OpGenerator {
  return { next: (p) => nextOp(p.rng, p.keys, p.held, p.newOwner, mix) };
}

/** Every key at SERIAL (what Paxos committed), then at ALL (what every replica holds). */
export const DEFAULT_FINAL_READS: readonly FinalReadPass[] = [{ level: 'SERIAL' }, { level: 'ALL' }];

export function workloadOf(recipe: Recipe): Workload {
  return { recipe, generator: mixGenerator(), finalReads: DEFAULT_FINAL_READS };
}
