// What the runner needs from an executor beyond the statements a recipe sends: mark where an
// operation begins (with any level the operation itself asks for), map an error to the
// operation's outcome, and say which consistency levels the operation really sent. The driver
// executor and the in-memory fake share this bookkeeping, so both record the same way.

import { parseCql } from '../../history/cql.ts';
import type { JsonValue, LockOp, ReadValue, StatementRecord } from '../../history/index.ts';
import type { ReadCL, WriteCL } from '../core/cell.ts';
import type { Executor } from '../../workloads/recipe.ts';
import { TieModeError } from './tie.ts';
import { classifyError, type ErrorOutcome, type StatementKind } from './errors.ts';

/** Levels one operation uses instead of the cell's. */
export interface OperationLevels {
  /** Plain writes and LWT commits (e.g. a recipe retrying its DELETE at ALL). */
  writeCl?: WriteCL;
  /** Every read, whatever level the recipe asks for (final reads). */
  readCl?: ReadCL;
}

/** What one whole operation came to. */
export type OperationResult =
  | { type: 'ok'; value?: ReadValue }
  | { type: 'fail'; value?: ReadValue; error?: string }
  | { type: 'info'; error: string };

export interface OperationExecutor extends Executor {
  /** Call before each operation. */
  begin(levels?: OperationLevels): void;
  /** The operation's outcome when it threw `err`. */
  outcomeOf(err: unknown): ErrorOutcome;
  /**
   * The levels this operation's statements were sent at, in order, joined by ", "; an LWT as
   * "<serial>/<commit>". Undefined while nothing was sent.
   */
  levelsSent(): string | undefined;
  /** Every statement this operation sent, in order, with its outcome; undefined while nothing was sent. */
  statementsSent(): StatementRecord[] | undefined;
  /**
   * Runs a whole operation itself instead of a recipe's statements: an external client
   * (harness/client/external/, docs/clients.md). Absent on executors that send a recipe's statements.
   */
  operation?(op: LockOp, levels: OperationLevels): Promise<OperationResult>;
  /**
   * The process this executor serves was retired after an indeterminate operation and `next`
   * takes over; an executor with a process of its own (an external client's child) starts afresh.
   */
  retire?(next: number): void;
}

/** A statement about to be sent: what the record keeps besides its outcome. */
export interface Sending {
  kind: StatementKind;
  cql: string;
  params: readonly unknown[];
  /** The level it is sent at (an LWT's commit level). */
  cl: string;
  /** An LWT's Paxos level. */
  serialCl?: string;
  /** The write timestamp it carries, microseconds; null when the server chooses it. */
  timestamp: number | null;
}

/** Per-operation record of what was sent, and whether anything sent may have taken effect. */
export class OperationLog {
  private effect = false;
  private current: StatementKind = 'read';
  private levels: string[] = [];
  private statements: StatementRecord[] = [];

  begin(): void {
    this.effect = false;
    this.current = 'read';
    this.levels = [];
    this.statements = [];
  }

  /**
   * Sends one statement through `go` and records it with its outcome: `applied` says whether a
   * reply means it took effect (an LWT's verdict); an error is recorded and raised again.
   */
  async send<T>(s: Sending, go: () => Promise<T>, applied: (reply: T) => boolean = () => true): Promise<T> {
    this.current = s.kind;
    this.levels.push(s.serialCl !== undefined ? `${s.serialCl}/${s.cl}` : s.cl);
    const record: StatementRecord = {
      kind: s.kind,
      cql: s.cql,
      params: s.params.map(jsonParam),
      cl: s.cl,
      ...(s.serialCl !== undefined ? { serialCl: s.serialCl } : {}),
      timestamp: s.timestamp,
      ttl: ttlOf(s.cql, s.params),
      outcome: 'error',
    };
    this.statements.push(record);
    try {
      const reply = await go();
      record.outcome = applied(reply) ? 'applied' : 'not-applied';
      return reply;
    } catch (err) {
      record.error = firstLine(err);
      throw err;
    }
  }

  /** Something this operation sent has certainly or possibly taken effect. */
  tookEffect(): void {
    this.effect = true;
  }

  outcomeOf(err: unknown): ErrorOutcome {
    // Raised before anything was sent, by the harness's own mistake: it stops the cell loudly.
    if (err instanceof TieModeError) throw err;
    const mapped = classifyError(err, this.current);
    // An earlier statement of this operation already changed something: not a clean failure.
    return this.effect && mapped.type === 'fail' ? { ...mapped, type: 'info' } : mapped;
  }

  levelsSent(): string | undefined {
    return this.levels.length > 0 ? this.levels.join(', ') : undefined;
  }

  statementsSent(): StatementRecord[] | undefined {
    return this.statements.length > 0 ? this.statements.map((r) => ({ ...r })) : undefined;
  }
}

/** A bound value as JSON: the recipes bind text, numbers and booleans; anything else as text. */
function jsonParam(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/** The seconds a write's USING TTL binds; null without one, or for a statement outside the subset. */
export function ttlOf(cql: string, params: readonly unknown[]): number | null {
  let st;
  try {
    st = parseCql(cql);
  } catch {
    return null;
  }
  if ((st.kind !== 'insert' && st.kind !== 'update') || !st.ttl) return null;
  const v = 'literal' in st.ttl ? st.ttl.literal : params[st.ttl.param];
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
