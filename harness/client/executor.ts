// The Executor a recipe runs on: one pinned driver client, the cell's consistency levels and
// timestamp mode, and a record of what the current operation has sent so that an error can be
// mapped to the operation's outcome (see errors.ts).

import cassandra from 'cassandra-driver';
import type { JsonValue } from '../history/events.ts';
import type { ReadCL, SerialCL, TimestampMode, WriteCL } from '../runner/cell-params.ts';
import type { CasResult, Executor, ReadLevel, Row } from '../../workloads/recipe.ts';
import { classifyError, type ErrorOutcome, type StatementKind } from './errors.ts';
import { timestampSource, type TimestampSource } from './timestamps.ts';

const { consistencies } = cassandra.types;

export interface ExecutorSettings {
  writeCl: WriteCL;
  readCl: ReadCL;
  serialCl: SerialCL;
  timestamps: TimestampMode;
  /** Client-side timeout for each statement. */
  opTimeoutMs: number;
  /** Final reads: every read runs at this level, whatever level the recipe asks for. */
  forceReadCl?: ReadCL;
}

function level(name: string): number {
  const key = name.toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase()) as keyof typeof consistencies;
  const value = consistencies[key];
  if (value === undefined) throw new Error(`unknown consistency level ${name}`);
  return value;
}

/** Driver values (Long, Date, Buffer, Uuid, ...) as JSON. */
export function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof cassandra.types.Long) return value.toNumber();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (Array.isArray(value)) return value.map(toJson);
  return String(value);
}

function rowToJson(row: cassandra.types.Row, skip?: string): Row {
  const out: Row = {};
  for (const k of row.keys()) if (k !== skip) out[k] = toJson(row.get(k));
  return out;
}

export class DriverExecutor implements Executor {
  private readonly stamps: TimestampSource;
  private readonly retry = new cassandra.policies.retry.FallthroughRetryPolicy();
  /** Something this operation sent has certainly or possibly taken effect. */
  private effect = false;
  private current: StatementKind = 'read';
  /** Stamp for this operation's plain writes, overriding the timestamp mode (tie mode). */
  private pinned: number | undefined;

  constructor(
    private readonly client: cassandra.Client,
    private readonly s: ExecutorSettings,
  ) {
    this.stamps = timestampSource(s.timestamps);
  }

  /** Call before each operation. */
  begin(): void {
    this.effect = false;
    this.current = 'read';
    this.pinned = undefined;
  }

  /** True when releases must be stamped with the row's own write timestamp (see pinStamp). */
  get tiesReleases(): boolean {
    return this.s.timestamps.kind === 'tie';
  }

  /** Stamps the rest of this operation's plain writes with `micros`. */
  pinStamp(micros: number): void {
    this.pinned = micros;
  }

  /** The operation's outcome when it threw `err`. */
  outcomeOf(err: unknown): ErrorOutcome {
    const mapped = classifyError(err, this.current);
    // An earlier statement of this operation already changed something: not a clean failure.
    return this.effect && mapped.type === 'fail' ? { ...mapped, type: 'info' } : mapped;
  }

  private options(consistency: number, extra: cassandra.QueryOptions = {}): cassandra.QueryOptions {
    return {
      prepare: true,
      consistency,
      isIdempotent: false,
      retry: this.retry,
      readTimeout: this.s.opTimeoutMs,
      ...extra,
    };
  }

  async write(cql: string, params: unknown[]): Promise<void> {
    this.current = 'write';
    // The driver encodes a number as a Long; `null` omits the timestamp (server-assigned).
    const timestamp = (this.pinned ?? this.stamps.next()) as number | undefined;
    const opts = this.options(level(this.s.writeCl), timestamp === undefined ? {} : { timestamp });
    await this.client.execute(cql, params, opts);
    this.effect = true;
  }

  async cas(cql: string, params: unknown[]): Promise<CasResult> {
    this.current = 'cas';
    const rs = await this.client.execute(
      cql,
      params,
      this.options(level(this.s.writeCl), { serialConsistency: level(this.s.serialCl) }),
    );
    const applied = rs.wasApplied();
    if (applied) this.effect = true;
    const first = rs.first();
    const row = first ? rowToJson(first, '[applied]') : null;
    return { applied, row: row && Object.keys(row).length > 0 ? row : null };
  }

  async read(cql: string, params: unknown[], at: ReadLevel): Promise<Row | null> {
    // An error here changes nothing by itself; `effect` remembers any earlier write.
    this.current = 'read';
    const cl = this.s.forceReadCl ?? (at === 'serial' ? this.s.serialCl : this.s.readCl);
    const rs = await this.client.execute(cql, params, this.options(level(cl)));
    const first = rs.first();
    return first ? rowToJson(first) : null;
  }
}
