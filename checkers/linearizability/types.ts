// The vocabulary shared by the checker, the models and the readers.

/**
 * One operation of a history. `call`/`return` are comparable instants (any unit); only their
 * order matters to the search. An `info` operation's outcome is unknown: it may have taken
 * effect at any instant after its call, or never, so it has no return and no output.
 */
export type Operation<I, O> = {
  process: number;
  input: I;
  call: number;
  /** Where the operation came from (event indexes or line numbers), for witnesses. */
  ref?: number[];
} & ({ outcome: 'ok'; return: number; output: O } | { outcome: 'info' });

/**
 * A sequential specification. `step` returns the next state, or undefined when the operation
 * cannot produce `output` from `state` (output is undefined for an info operation: any output
 * is acceptable). States are values: never mutate one in place.
 */
export interface Model<S, I, O> {
  name: string;
  init(): S;
  step(state: S, input: I, output: O | undefined): S | undefined;
  equal(a: S, b: S): boolean;
  /** Must agree with `equal`; speeds up the cache. */
  hash?(state: S): number;
  /**
   * hash(next) from hash(state), where next = step(state, input, output), without reading all
   * of either: for states that grow (a string appended to), where hashing each new state
   * whole would cost more than the step. Must agree with `hash`.
   */
  stepHash?(hash: number, state: S, input: I, output: O | undefined, next: S): number;
  /** P-compositionality: operations with different keys are checked independently. */
  partition?(input: I): string;
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
}

// The checker works on models whose types are erased once a history has been read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any>;

export interface PartitionWitness {
  /** The partition's key ('' when the model does not partition). */
  key: string;
  /** Indexes into the checked operation array, in linearization order. */
  order: number[];
}

export interface IllegalWitness extends PartitionWitness {
  /** The operation that could not be placed after the longest partial linearization `order`. */
  stuck: number;
}

export type CheckResult =
  | { verdict: 'ok'; ops: number; partitions: number; linearizations: PartitionWitness[] }
  | {
      verdict: 'illegal';
      ops: number;
      partitions: number;
      /** Longest partial linearizations of the partition found illegal (longest first). */
      partial: IllegalWitness[];
      /** Linearizations of the partitions that were completed before the illegal one was found. */
      linearizations: PartitionWitness[];
    }
  | {
      verdict: 'unknown';
      ops: number;
      partitions: number;
      reason: string;
      /** Keys of partitions still being searched when the budget ran out. */
      pending: string[];
      linearizations: PartitionWitness[];
    };

export interface CheckOptions {
  /** Time budget; when exceeded the verdict is 'unknown'. Default: none. */
  timeoutMs?: number;
  /** Work items per partition per round-robin turn. */
  slice?: number;
}
