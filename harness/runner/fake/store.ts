// A single-replica row store with Cassandra's cell semantics, enough for the recipes: every
// cell carries its write timestamp and expiry, a row deletion is a tombstone that shadows
// everything stamped at or before it, and two versions of a cell are reconciled as Cassandra
// 4.0 and later do: the larger timestamp wins; on equal timestamps a tombstone (or expired cell)
// beats an expiring cell, which beats a live one; then the later expiry; then the larger value.
// Time (TTL expiry, Paxos ballots, server-side stamps) is the injected clock's.

import type { JsonValue } from '../../../history/index.ts';
import type { Row } from '../../../workloads/recipe.ts';
import { bind, parseCql, UnsupportedCqlError, type ColumnType, type ConditionOp, type Equality, type Statement } from './cql.ts';

/** One version of a cell; `value` null is a tombstone. */
interface Cell {
  value: JsonValue;
  /** Write timestamp, microseconds. */
  ts: number;
  /** Wall time (ms, injected clock) the cell expires at; null for a cell without TTL. */
  expiresAtMs: number | null;
}

interface StoredRow {
  /** The primary key's liveness (an INSERT's row marker): the row exists while it is live, cells or not. */
  marker: Cell | null;
  /** Timestamp of the newest row deletion, or null. */
  deletedAt: number | null;
  cells: Map<string, Cell>;
}

interface Table {
  key: string;
  columns: Map<string, ColumnType>;
  rows: Map<string, StoredRow>;
}

export interface TableShapeOf {
  primaryKey: string[];
  regular: string[];
}

/** What a statement did: a read's row, or an LWT's verdict and what it saw. */
export type Applied = { kind: 'rows'; row: Row | null } | { kind: 'write' } | { kind: 'cas'; applied: boolean; row: Row | null };

export interface Clock {
  nowMs(): number;
}

function dead(c: Cell, nowMs: number): boolean {
  return c.value === null || (c.expiresAtMs !== null && c.expiresAtMs <= nowMs);
}

/** Cassandra's order of values of one type: booleans false < true, numbers, text by UTF-8 bytes. */
function compareValues(a: JsonValue, b: JsonValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return Buffer.compare(Buffer.from(JSON.stringify(a)), Buffer.from(JSON.stringify(b)));
}

/** Whether `a` supersedes `b` (4.0+ reconciliation; see the header). */
export function supersedes(a: Cell, b: Cell, nowMs: number): boolean {
  if (a.ts !== b.ts) return a.ts > b.ts;
  const rank = (c: Cell): number => (dead(c, nowMs) ? 2 : c.expiresAtMs !== null ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) > rank(b);
  const expiry = (c: Cell): number => c.expiresAtMs ?? Infinity;
  if (expiry(a) !== expiry(b)) return expiry(a) > expiry(b);
  return compareValues(a.value, b.value) > 0;
}

/** An LWT condition on one cell; as in Cassandra, an ordering against a missing (null) cell never holds. */
function holds(have: JsonValue, op: ConditionOp, want: JsonValue): boolean {
  if (op === '=') return have === want;
  if (have === null || want === null) return false;
  const c = compareValues(have, want);
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

export class MemoryStore {
  private readonly tables = new Map<string, Table>();
  private lastBallot = 0;

  constructor(readonly clock: Clock) {}

  /** The table's columns, as system_schema would list them. */
  shape(table: string): TableShapeOf {
    const t = this.table(table, `table ${table}`);
    return { primaryKey: [t.key], regular: [...t.columns.keys()].filter((c) => c !== t.key).sort() };
  }

  /** Current time in microseconds, for server-side stamps. */
  nowMicros(): number {
    return Math.floor(this.clock.nowMs() * 1000);
  }

  /** Paxos ballots: the coordinator's clock, strictly increasing. */
  private ballot(): number {
    this.lastBallot = Math.max(this.nowMicros(), this.lastBallot + 1);
    return this.lastBallot;
  }

  private table(name: string, cql: string): Table {
    const t = this.tables.get(name);
    if (!t) throw new UnsupportedCqlError(cql, `table ${name} does not exist`);
    return t;
  }

  /**
   * Runs one statement. `stamp` is the write timestamp a plain write carries (null: the server's
   * clock); LWTs take their ballot's.
   */
  execute(cql: string, params: readonly unknown[], stamp: number | null = null): Applied {
    const st = parseCql(cql);
    const nowMs = this.clock.nowMs();
    switch (st.kind) {
      case 'create':
        if (this.tables.has(st.table)) throw new UnsupportedCqlError(cql, `table ${st.table} already exists`);
        this.tables.set(st.table, { key: st.key, columns: st.columns, rows: new Map() });
        return { kind: 'write' };
      case 'drop':
        this.tables.delete(st.table);
        return { kind: 'write' };
      case 'select': {
        const t = this.table(st.table, cql);
        const key = this.keyOf(t, st.where, params, cql);
        const row = this.view(t, key, nowMs);
        if (!row) return { kind: 'rows', row: null };
        const out: Row = {};
        for (const item of st.items) {
          this.column(t, item.column, cql);
          const cell = item.column === t.key ? null : row.get(item.column);
          if (item.fn === 'value') out[item.as] = item.column === t.key ? key : (cell?.value ?? null);
          else if (item.fn === 'writetime') out[item.as] = cell ? cell.ts : null;
          else out[item.as] = cell && cell.expiresAtMs !== null ? Math.ceil((cell.expiresAtMs - nowMs) / 1000) : null;
        }
        return { kind: 'rows', row: out };
      }
      default:
        return this.write(st, cql, params, stamp, nowMs);
    }
  }

  private write(st: Exclude<Statement, { kind: 'create' | 'drop' | 'select' }>, cql: string, params: readonly unknown[], stamp: number | null, nowMs: number): Applied {
    const t = this.table(st.table, cql);
    const isCas = (st.kind === 'insert' && st.ifNotExists) || (st.kind !== 'insert' && st.condition !== undefined);
    const key =
      st.kind === 'insert'
        ? this.insertKey(t, st.values, params, cql)
        : this.keyOf(t, st.where, params, cql);
    const ttlSeconds = 'ttl' in st && st.ttl ? Number(bind(st.ttl, params, cql) ?? 0) : 0;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0) throw new UnsupportedCqlError(cql, `TTL ${ttlSeconds} is not a whole number of seconds ≥ 0`);
    const expiresAtMs = ttlSeconds > 0 ? nowMs + ttlSeconds * 1000 : null;

    let casRow: Row | null = null;
    if (isCas) {
      const current = this.view(t, key, nowMs);
      if (st.kind === 'insert') {
        if (current) return { kind: 'cas', applied: false, row: this.fullRow(t, key, current) };
      } else {
        const cond = st.condition!;
        this.column(t, cond.column, cql);
        const want = bind(cond.term, params, cql);
        const have = current?.get(cond.column)?.value ?? null;
        if (!current || !holds(have, cond.op, want)) return { kind: 'cas', applied: false, row: current ? { [cond.column]: have } : null };
      }
      casRow = null;
    }
    const ts = isCas ? this.ballot() : (stamp ?? this.nowMicros());
    const row = this.stored(t, key);
    switch (st.kind) {
      case 'insert':
        row.marker = this.merge(row.marker, { value: true, ts, expiresAtMs }, row.deletedAt, nowMs);
        for (const v of st.values) if (v.column !== t.key) this.put(t, row, v.column, { value: bind(v.term, params, cql), ts, expiresAtMs }, nowMs, cql);
        break;
      case 'update':
        for (const v of st.set) {
          if (v.column === t.key) throw new UnsupportedCqlError(cql, `it sets the primary key ${t.key}`);
          this.put(t, row, v.column, { value: bind(v.term, params, cql), ts, expiresAtMs }, nowMs, cql);
        }
        break;
      case 'delete':
        // A row tombstone: everything stamped at or before it is gone, and ties go to the tombstone.
        row.deletedAt = Math.max(row.deletedAt ?? -Infinity, ts);
        if (row.marker && row.marker.ts <= ts) row.marker = null;
        for (const [c, cell] of row.cells) if (cell.ts <= ts) row.cells.delete(c);
        break;
    }
    return isCas ? { kind: 'cas', applied: true, row: casRow } : { kind: 'write' };
  }

  private merge(old: Cell | null | undefined, next: Cell, deletedAt: number | null, nowMs: number): Cell | null {
    if (deletedAt !== null && next.ts <= deletedAt) return old ?? null;
    if (!old) return next;
    return supersedes(next, old, nowMs) ? next : old;
  }

  private put(t: Table, row: StoredRow, column: string, cell: Cell, nowMs: number, cql: string): void {
    this.column(t, column, cql);
    const merged = this.merge(row.cells.get(column), cell, row.deletedAt, nowMs);
    if (merged) row.cells.set(column, merged);
  }

  private column(t: Table, column: string, cql: string): void {
    if (!t.columns.has(column)) throw new UnsupportedCqlError(cql, `no column ${column}`);
  }

  private keyOf(t: Table, where: Equality, params: readonly unknown[], cql: string): string {
    if (where.column !== t.key) throw new UnsupportedCqlError(cql, `WHERE must name the primary key ${t.key}`);
    return String(bind(where.term, params, cql));
  }

  private insertKey(t: Table, values: Equality[], params: readonly unknown[], cql: string): string {
    const v = values.find((e) => e.column === t.key);
    if (!v) throw new UnsupportedCqlError(cql, `it gives no value for the primary key ${t.key}`);
    return String(bind(v.term, params, cql));
  }

  private stored(t: Table, key: string): StoredRow {
    let row = t.rows.get(key);
    if (!row) t.rows.set(key, (row = { marker: null, deletedAt: null, cells: new Map() }));
    return row;
  }

  /** The row's live cells, or null when the row does not exist now (no live marker, no live cell). */
  private view(t: Table, key: string, nowMs: number): Map<string, Cell> | null {
    const row = t.rows.get(key);
    if (!row) return null;
    const live = new Map([...row.cells].filter(([, c]) => !dead(c, nowMs)));
    const markerLive = row.marker !== null && !dead(row.marker, nowMs);
    return markerLive || live.size > 0 ? live : null;
  }

  /** Every column of an existing row, as an unapplied IF NOT EXISTS returns it. */
  private fullRow(t: Table, key: string, live: Map<string, Cell>): Row {
    const out: Row = {};
    for (const c of t.columns.keys()) out[c] = c === t.key ? key : (live.get(c)?.value ?? null);
    return out;
  }
}
