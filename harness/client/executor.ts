// The Executor a recipe runs on: one pinned driver client, the cell's consistency levels and
// timestamp mode, and a record of what the current operation has sent so that an error can be
// mapped to the operation's outcome (see errors.ts) and the levels it really used recorded.

import cassandra from 'cassandra-driver';
import type { JsonValue, StatementRecord } from '../../history/index.ts';
import type { ReadCL, SerialCL, TimestampMode, WriteCL } from '../core/cell.ts';
import type { CasResult, ReadLevel, Row } from '../../workloads/recipe.ts';
import type { ErrorOutcome } from './errors.ts';
import { OperationLog, type OperationExecutor, type OperationLevels } from './operation-executor.ts';
import { tieStamp, TieModeError, type TableShape } from './tie.ts';
import { timestampSource, type TimestampSource } from './timestamps.ts';

const { consistencies } = cassandra.types;

export interface ExecutorSettings {
  writeCl: WriteCL;
  readCl: ReadCL;
  serialCl: SerialCL;
  timestamps: TimestampMode;
  /** Client-side timeout for each statement. */
  opTimeoutMs: number;
}

/** Table columns by table name, looked up once per table and shared by a cell's executors. */
export type TableShapes = Map<string, Promise<TableShape>>;

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

export class DriverExecutor implements OperationExecutor {
  private readonly stamps: TimestampSource;
  private readonly retry = new cassandra.policies.retry.FallthroughRetryPolicy();
  private readonly log = new OperationLog();
  private levels: OperationLevels = {};
  /** The last stamp this client gave a write itself (microseconds). */
  private lastDriverStamp = -Infinity;

  constructor(
    private readonly client: cassandra.Client,
    private readonly s: ExecutorSettings,
    private readonly shapes: TableShapes = new Map(),
  ) {
    this.stamps = timestampSource(s.timestamps);
  }

  begin(levels: OperationLevels = {}): void {
    this.log.begin();
    this.levels = levels;
  }

  outcomeOf(err: unknown): ErrorOutcome {
    return this.log.outcomeOf(err);
  }

  levelsSent(): string | undefined {
    return this.log.levelsSent();
  }

  statementsSent(): StatementRecord[] | undefined {
    return this.log.statementsSent();
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

  private get writeCl(): WriteCL {
    return this.levels.writeCl ?? this.s.writeCl;
  }

  async write(cql: string, params: unknown[]): Promise<void> {
    // Tie mode: the write carries exactly the newest stamp its row already has (read first).
    const pinned = this.s.timestamps.kind === 'tie' ? await this.tieStamp(cql, params) : null;
    const timestamp = pinned ?? this.stamp();
    const cl = this.writeCl;
    // `null` omits the timestamp (server-assigned); the driver encodes a number as a Long.
    const extra = timestamp === null ? {} : { timestamp };
    await this.log.send({ kind: 'write', cql, params, cl, timestamp }, () => this.client.execute(cql, params, this.options(level(cl), extra)));
    this.log.tookEffect();
  }

  /**
   * A plain write's stamp per the timestamp mode; null lets the coordinator stamp it. Where the
   * driver's generator would stamp it, the same strictly increasing microsecond clock is kept
   * here instead, so that the history records the stamp each write carried.
   */
  private stamp(): number | null {
    const t = this.stamps.next();
    if (t !== undefined) return t;
    this.lastDriverStamp = Math.max(Date.now() * 1000, this.lastDriverStamp + 1);
    return this.lastDriverStamp;
  }

  async cas(cql: string, params: unknown[]): Promise<CasResult> {
    const cl = this.writeCl;
    const serialCl = this.s.serialCl;
    const rs = await this.log.send(
      { kind: 'cas', cql, params, cl, serialCl, timestamp: null },
      () => this.client.execute(cql, params, this.options(level(cl), { serialConsistency: level(serialCl) })),
      (r) => r.wasApplied(),
    );
    const applied = rs.wasApplied();
    if (applied) this.log.tookEffect();
    const first = rs.first();
    const row = first ? rowToJson(first, '[applied]') : null;
    return { applied, row: row && Object.keys(row).length > 0 ? row : null };
  }

  async read(cql: string, params: unknown[], at: ReadLevel): Promise<Row | null> {
    // An error here changes nothing by itself; the log remembers any earlier write.
    const cl = this.levels.readCl ?? (at === 'serial' ? this.s.serialCl : this.s.readCl);
    const rs = await this.log.send({ kind: 'read', cql, params, cl, timestamp: null }, () => this.client.execute(cql, params, this.options(level(cl))));
    const first = rs.first();
    return first ? rowToJson(first) : null;
  }

  private tieStamp(cql: string, params: unknown[]): Promise<number | null> {
    return tieStamp(cql, params, (table) => this.shapeOf(table), (q, p) => this.read(q, p, 'read'));
  }

  /** The table's columns from system_schema, once per table (a failed look-up is tried again). */
  private shapeOf(table: string): Promise<TableShape> {
    let shape = this.shapes.get(table);
    if (!shape) {
      shape = this.lookUpShape(table);
      shape.catch(() => this.shapes.delete(table));
      this.shapes.set(table, shape);
    }
    return shape;
  }

  private async lookUpShape(table: string): Promise<TableShape> {
    const keyspace = this.client.keyspace;
    if (!keyspace) throw new TieModeError('the client has no keyspace to look the table up in');
    const rs = await this.client.execute(
      'SELECT column_name, kind, position FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
      [keyspace, table],
      { prepare: true },
    );
    const cols = rs.rows.map((r) => ({ name: String(r.get('column_name')), kind: String(r.get('kind')), position: Number(r.get('position')) }));
    if (cols.length === 0) throw new TieModeError(`table ${keyspace}.${table} not found in system_schema`);
    const byPosition = (kind: string) => cols.filter((c) => c.kind === kind).sort((a, b) => a.position - b.position).map((c) => c.name);
    return {
      primaryKey: [...byPosition('partition_key'), ...byPosition('clustering')],
      regular: cols.filter((c) => c.kind === 'regular').map((c) => c.name).sort(),
    };
  }
}
