// The writes an external client reports (`writes` on a reply) as the history's statement records,
// so the torn-row checker judges its rows as it judges lockstorm's own recipes
// (checkers/lock/provenance.ts). lockstorm never sees the child's CQL: each reported write is
// recorded as the statement in lockstorm's CQL subset (history/cql.ts) that gives those cells to
// that key — an UPDATE of its cells, or a DELETE when it reports none — with the timestamp and
// TTL the child reported. A read's row is recorded as the SELECT of its columns from the table
// the cell's writes went to, which is what the checker matches cells against.
//
// A client that reports no writes leaves no statement records at all, so the report says torn
// rows were not judged rather than finding none.

import type { JsonValue, LockOp, ReadValue, StatementRecord } from '../../../history/index.ts';
import type { ReportedWrite } from './protocol.ts';

/** Tables the cell's clients have reported writes to, shared by every session of the cell. */
export class ReportedTables {
  private readonly seen = new Set<string>();
  add(table: string): void {
    this.seen.add(table);
  }
  /** The one table writes went to; null when none or several (a read's table is then unknown). */
  only(): string | null {
    return this.seen.size === 1 ? [...this.seen][0]! : null;
  }
  get any(): boolean {
    return this.seen.size > 0;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The key column's name in the recorded statements; the checker files updates by key, not by its name. */
const KEY_COLUMN = 'id';
/** lockstorm cannot know what level the child's driver used. */
const UNKNOWN_CL = 'unknown';

export type WriteOutcome = StatementRecord['outcome'];

function writeRecord(w: ReportedWrite, outcome: WriteOutcome): StatementRecord | null {
  const columns = Object.keys(w.cells);
  // Outside the subset's identifiers the record could not be read back: leave the write out
  // (its rows then go unjudged, never misjudged).
  if (!IDENT.test(w.table) || columns.some((c) => !IDENT.test(c) || c === KEY_COLUMN)) return null;
  const common = { kind: 'write' as const, cl: UNKNOWN_CL, timestamp: w.timestamp, ttl: w.ttl, outcome };
  if (columns.length === 0) return { ...common, cql: `DELETE FROM ${w.table} WHERE ${KEY_COLUMN} = ?`, params: [w.key] };
  const params: JsonValue[] = columns.map((c) => w.cells[c]!);
  const set = columns.map((c) => `${c} = ?`).join(', ');
  return { ...common, cql: `UPDATE ${w.table} SET ${set} WHERE ${KEY_COLUMN} = ?`, params: [...params, w.key] };
}

function readRecord(key: string, value: ReadValue, table: string): StatementRecord | null {
  const columns = Object.keys(value.row ?? {}).filter((c) => IDENT.test(c) && c !== KEY_COLUMN);
  if (columns.length === 0) return null;
  return { kind: 'read', cql: `SELECT ${columns.join(', ')} FROM ${table} WHERE ${KEY_COLUMN} = ?`, params: [key], cl: UNKNOWN_CL, timestamp: null, ttl: null, outcome: 'applied' };
}

/**
 * The statement records of one completed operation: its reported writes (with the outcome its
 * reply implies: ok applied, fail not applied, info maybe), then, for a read that saw a row,
 * the SELECT that row answers. Undefined while the cell's clients have reported no write.
 */
export function statementsFor(
  op: LockOp,
  writes: readonly ReportedWrite[],
  outcome: WriteOutcome,
  value: ReadValue | undefined,
  tables: ReportedTables,
): StatementRecord[] | undefined {
  for (const w of writes) tables.add(w.table);
  if (!tables.any) return undefined;
  const out: StatementRecord[] = [];
  for (const w of writes) {
    const r = writeRecord(w, outcome);
    if (r) out.push(outcome === 'error' ? { ...r, error: 'reported by the client as indeterminate' } : r);
  }
  const table = tables.only();
  if (op.f === 'read' && value?.row && table !== null) {
    const r = readRecord(op.key, value, table);
    if (r) out.push(r);
  }
  return out.length > 0 ? out : undefined;
}
