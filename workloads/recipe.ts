// What a lock recipe is: its table, and how it acquires, releases and reads one key.
//
// A recipe only speaks CQL through the small Executor below. Consistency levels, client
// timestamps, timeouts, error mapping and the history all live in the harness, so a recipe
// module reads like Jepsen's client: schema, acquire, release, read.

import type { JsonValue, LockOp, ReadValue } from '../history/index.ts';
import type { WriteCL } from '../harness/core/cell.ts';

/** One row as plain JSON (bigint → number, absent cells → null). */
export type Row = Record<string, JsonValue>;

/** Which consistency level a read runs at: the cell's read CL, or its serial CL (Paxos read). */
export type ReadLevel = 'read' | 'serial';

export interface CasResult {
  applied: boolean;
  /** What the LWT saw when it did not apply (columns other than `[applied]`); null if none. */
  row: Row | null;
}

/**
 * The statements a recipe may send. The harness provides it per process, bound to that
 * process's pinned driver client and to the cell's CLs and timestamp mode.
 */
export interface Executor {
  /** A plain (non-LWT) write at the write CL, stamped according to the cell's timestamp mode. */
  write(cql: string, params: unknown[]): Promise<void>;
  /** A lightweight transaction: Paxos at the serial CL, commit at the write CL; never stamped. */
  cas(cql: string, params: unknown[]): Promise<CasResult>;
  /** A single-partition read; returns the first row, or null when the key has none. */
  read(cql: string, params: unknown[], level: ReadLevel): Promise<Row | null>;
}

export interface RecipeSettings {
  /** Seconds a lock lives if never released; 0 means the lock never expires. */
  ttlSeconds: number;
}

/**
 * An operation the recipe's own code sends on its own initiative (after an acquire error, say).
 * The harness records it as an operation of its own, before the process asks for anything else.
 */
export interface FollowUp {
  op: LockOp;
  /** The write CL its plain writes use instead of the cell's (e.g. "retry the DELETE at ALL"). */
  writeCl?: WriteCL;
  /** Sent again, as a fresh operation each time, until one is acknowledged (`ok`) or this many were sent. */
  untilOk?: { maxAttempts: number; /** Wait between attempts: one sent at once meets the same fault. */ pauseMs?: number };
}

export type AcquireResult = { acquired: true } | { acquired: false; saw: ReadValue };
export type ReleaseResult = { released: true } | { released: false; saw: ReadValue };

export interface Recipe {
  name: string;
  /** One sentence for reports. */
  summary: string;
  /** Table the recipe keeps its locks in, unqualified; the harness recreates it for every cell. */
  table: string;
  /** CREATE TABLE statement(s) in `keyspace`. */
  schema(keyspace: string): string[];
  /**
   * What the recipe's own code sends after an acquire that raised an error (recorded `info`, or
   * `fail` with an error), in order; absent or empty when it sends nothing.
   */
  afterAcquireError?(key: string, owner: string): FollowUp[];
  acquire(x: Executor, key: string, owner: string, s: RecipeSettings): Promise<AcquireResult>;
  release(x: Executor, key: string, owner: string, s: RecipeSettings): Promise<ReleaseResult>;
  read(x: Executor, key: string, s: RecipeSettings): Promise<ReadValue>;
  /** False for a row that no sequence of this recipe's own operations can leave behind. */
  rowIsReachable(row: Row | null): boolean;
  /**
   * The fencing token of `owner`'s acquire of `key`, read back at the serial level: a number that
   * grows with every successful acquire of the key, because Cassandra itself orders it (docs/workloads.md,
   * "Fencing tokens"); null when `owner` no longer holds the key. Absent: the recipe has no sound
   * token, and `fencing: on` is refused for it.
   */
  fenceToken?(x: Executor, key: string, owner: string): Promise<number | null>;
}

/** A read value from an owner column: a row with a non-null owner is held by that owner. */
export function ownerValue(row: Row | null): ReadValue {
  const owner = row?.['owner'];
  if (typeof owner === 'string') return { state: 'held', owner, row };
  return { state: 'free', owner: null, row };
}

// Owner tokens are "p<process>-<attempt>". Recipes whose table has no text owner column store
// the token as a number instead; these two functions are each other's inverse.
const ATTEMPTS_PER_PROCESS = 1_000_000;

export function ownerToken(process: number, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 0 || attempt >= ATTEMPTS_PER_PROCESS) {
    throw new RangeError(`acquire attempt ${attempt} of process ${process} is out of range`);
  }
  return `p${process}-${attempt}`;
}

export function tokenToNumber(owner: string): number {
  const m = /^p(\d+)-(\d+)$/.exec(owner);
  if (!m) throw new RangeError(`not an owner token: ${owner}`);
  return Number(m[1]) * ATTEMPTS_PER_PROCESS + Number(m[2]);
}

export function numberToToken(n: number): string {
  return `p${Math.floor(n / ATTEMPTS_PER_PROCESS)}-${n % ATTEMPTS_PER_PROCESS}`;
}
