// Where each cell of a row came from. The history's statement records (docs/history-format.md)
// say every write a recipe sent: its cells (column → value), the write timestamp it carried when
// the client chose it, and its TTL. A row an ok read returned is whole when its cells can come
// from the recorded writes applied one whole write at a time; it is torn when they cannot: say
// the acquire's flag beside the release's revision, each write having lost the other's cell.
//
// Reads that select writetime(col) or ttl(col) narrow each cell's possible writes further. The
// rule needs nothing from the recipe: it works for any recipe whose statements are in the CQL
// subset of history/cql.ts.

import { bind, parseCql, type Statement } from '../../history/cql.ts';
import type { JsonValue, LockOperation, OkRead, PairedHistory, StatementRecord } from '../../history/index.ts';

/** One write a history records, with the cells it gave its row. */
export interface RecordedWrite {
  /** The operation that sent it. */
  op: LockOperation;
  table: string;
  key: string;
  kind: 'insert' | 'update' | 'delete';
  /** Regular columns it wrote (a delete writes none). */
  cells: ReadonlyMap<string, JsonValue>;
  /** Microseconds; null when the server chose it. */
  timestamp: number | null;
  ttl: number | null;
}

export interface WriteIndex {
  /** Whether the history records statements at all. */
  recorded: boolean;
  /** Writes by table and key (`table\u0000key`), in history order. */
  writes: ReadonlyMap<string, RecordedWrite[]>;
}

/** Every write the history's completions record that may have taken effect (applied, or errored). */
export function recordedWrites(history: PairedHistory): WriteIndex {
  const writes = new Map<string, RecordedWrite[]>();
  let recorded = false;
  for (const op of history.ops) {
    const statements = op.statements;
    if (!statements) continue;
    recorded = true;
    for (const s of statements) {
      if (s.kind === 'read' || s.outcome === 'not-applied') continue;
      const w = writeOf(s, op);
      if (!w) continue;
      const id = `${w.table}\u0000${w.key}`;
      let list = writes.get(id);
      if (!list) writes.set(id, (list = []));
      list.push(w);
    }
  }
  return { recorded, writes };
}

function parsed(s: StatementRecord): Statement | null {
  try {
    return parseCql(s.cql);
  } catch {
    return null;
  }
}

function writeOf(s: StatementRecord, op: LockOperation): RecordedWrite | null {
  const st = parsed(s);
  if (!st || (st.kind !== 'insert' && st.kind !== 'update' && st.kind !== 'delete')) return null;
  try {
    const common = { op, table: st.table, timestamp: s.timestamp, ttl: s.ttl };
    if (st.kind === 'insert') {
      // An INSERT alone does not say which of its columns is the key: it is filed without one,
      // every column kept, and matched on the column the read's WHERE names.
      const cells = new Map(st.values.map((v) => [v.column, bind(v.term, s.params, s.cql)]));
      return { ...common, kind: 'insert', key: '', cells };
    }
    const key = String(bind(st.where.term, s.params, s.cql));
    const cells = st.kind === 'update' ? new Map(st.set.map((v) => [v.column, bind(v.term, s.params, s.cql)])) : new Map<string, JsonValue>();
    return { ...common, kind: st.kind, key, cells };
  } catch {
    return null;
  }
}

/** What the read asked for: its table, key column and key, and which row column holds what. */
interface Selection {
  table: string;
  keyColumn: string;
  key: string;
  /** Row column of each regular column's value, writetime and ttl, where selected. */
  columns: Map<string, { value?: string; writetime?: string; ttl?: string }>;
}

function selectionOf(statements: readonly StatementRecord[] | undefined): Selection | null {
  // The recipe's own read is the last SELECT that answered.
  const s = [...(statements ?? [])].reverse().find((x) => x.kind === 'read' && x.outcome === 'applied');
  if (!s) return null;
  const st = parsed(s);
  if (!st || st.kind !== 'select') return null;
  let key: JsonValue;
  try {
    key = bind(st.where.term, s.params, s.cql);
  } catch {
    return null;
  }
  const columns = new Map<string, { value?: string; writetime?: string; ttl?: string }>();
  for (const item of st.items) {
    if (item.column === st.where.column) continue;
    const c = columns.get(item.column) ?? {};
    c[item.fn === 'value' ? 'value' : item.fn] = item.as;
    columns.set(item.column, c);
  }
  return { table: st.table, keyColumn: st.where.column, key: String(key), columns };
}

export type RowJudgement =
  | { judged: true; torn: false }
  | { judged: true; torn: true; sources: Array<{ column: string; write: RecordedWrite }>; why: string }
  | { judged: false; why: string };

/** Most assignments of cells to writes tried for one row before it is left unjudged. */
const MAX_ASSIGNMENTS = 50_000;

/**
 * Whether the row `read` returned can be the work of whole recorded writes. `index`: the history's
 * recorded writes, built once by a caller that judges many rows.
 */
export function judgeRow(read: OkRead, history: PairedHistory, index = recordedWrites(history)): RowJudgement {
  const row = read.value.row;
  if (row === null) return { judged: true, torn: false };
  const sel = selectionOf(read.statements);
  if (!sel) return { judged: false, why: 'its read statement is not recorded in the CQL subset' };
  const writes = writesOf(index, sel).filter((w) => w.op.invokedAt < read.completedAt);

  const present: Array<{ column: string; value: JsonValue; candidates: RecordedWrite[] }> = [];
  const absent: string[] = [];
  for (const [column, at] of sel.columns) {
    if (at.value === undefined || !(at.value in row)) continue;
    const value = row[at.value]!;
    if (value === null) {
      absent.push(column);
      continue;
    }
    const stamp = at.writetime !== undefined ? row[at.writetime] : undefined;
    const ttl = at.ttl !== undefined ? row[at.ttl] : undefined;
    const candidates = writes.filter((w) => w.cells.has(column) && sameValue(w.cells.get(column)!, value) && stampFits(w, stamp) && ttlFits(w, ttl));
    if (candidates.length === 0) return { judged: false, why: `no recorded write gave ${column} = ${JSON.stringify(value)}` };
    // Nearest first: the write that most plausibly put the cell there is tried, and named, first.
    present.push({ column, value, candidates: candidates.reverse() });
  }
  if (present.length === 0) return { judged: true, torn: false };
  const nulledSomewhere = new Set(writes.flatMap((w) => [...w.cells].filter(([, v]) => v === null).map(([c]) => c)));

  let tried = 0;
  let first: RecordedWrite[] | null = null;
  const choice: RecordedWrite[] = [];
  const search = (i: number): boolean => {
    if (i === present.length) {
      tried++;
      first ??= [...choice];
      return consistent(present.map((p) => p.column), choice, absent, nulledSomewhere);
    }
    for (const w of present[i]!.candidates) {
      if (tried >= MAX_ASSIGNMENTS) return false;
      choice[i] = w;
      if (search(i + 1)) return true;
    }
    return false;
  };
  // One write explaining every cell is the common case: try it before any mixing.
  const whole = present[0]!.candidates.find((w) => present.every((p) => p.candidates.includes(w)));
  if (whole && consistent(present.map((p) => p.column), present.map(() => whole), absent, nulledSomewhere)) return { judged: true, torn: false };
  if (search(0)) return { judged: true, torn: false };
  if (tried >= MAX_ASSIGNMENTS) return { judged: false, why: `more than ${MAX_ASSIGNMENTS} ways to attribute its cells` };
  const sources = present.map((p, i) => ({ column: p.column, write: first![i]! }));
  return { judged: true, torn: true, sources, why: 'no order of whole writes leaves these cells together' };
}

function writesOf(index: WriteIndex, sel: Selection): RecordedWrite[] {
  const out: RecordedWrite[] = [];
  // Updates and deletes are filed under their key; inserts name the key among their columns.
  for (const w of index.writes.get(`${sel.table}\u0000${sel.key}`) ?? []) out.push(w);
  for (const w of index.writes.get(`${sel.table}\u0000`) ?? []) {
    const key = w.cells.get(sel.keyColumn);
    if (key !== undefined && String(key) === sel.key) out.push(w);
  }
  return out.sort((a, b) => a.op.invokedAt - b.op.invokedAt);
}

function sameValue(a: JsonValue, b: JsonValue): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A writetime read back must be the write's own stamp, where the client knew it. */
function stampFits(w: RecordedWrite, stamp: JsonValue | undefined): boolean {
  return typeof stamp !== 'number' || w.timestamp === null || w.timestamp === stamp;
}

/** A cell with a TTL came from a write with one, at least as long; a cell without, from a write without. */
function ttlFits(w: RecordedWrite, ttl: JsonValue | undefined): boolean {
  if (ttl === undefined) return true;
  if (ttl === null) return w.ttl === null;
  return typeof ttl !== 'number' || (w.ttl !== null && ttl <= w.ttl);
}

/**
 * Whether whole writes can leave these cells: when the source of one cell also wrote another
 * column whose cell came from a different write, that write must have won the column, so it is
 * the later of the two (or tied with it): an edge. A cycle of such edges (each write later than
 * the other) is impossible for whole writes, and so is an edge against known stamps. A column
 * the row lacks but a source wrote needs some recorded write that clears it.
 */
function consistent(columns: string[], sources: RecordedWrite[], absent: string[], nulled: ReadonlySet<string>): boolean {
  const nodes = [...new Set(sources)];
  const later = new Map<RecordedWrite, Set<RecordedWrite>>(nodes.map((n) => [n, new Set()]));
  for (let i = 0; i < columns.length; i++) {
    const winner = sources[i]!;
    for (const other of nodes) {
      if (other === winner || !other.cells.has(columns[i]!)) continue;
      if (other.timestamp !== null && winner.timestamp !== null && winner.timestamp < other.timestamp) return false;
      later.get(other)!.add(winner);
    }
  }
  for (const column of absent) if (nodes.some((n) => n.cells.get(column) != null) && !nulled.has(column)) return false;
  return !hasCycle(nodes, later);
}

function hasCycle<T>(nodes: readonly T[], edges: ReadonlyMap<T, ReadonlySet<T>>): boolean {
  const state = new Map<T, 1 | 2>();
  const visit = (n: T): boolean => {
    if (state.get(n) === 1) return true;
    if (state.get(n) === 2) return false;
    state.set(n, 1);
    for (const m of edges.get(n) ?? []) if (visit(m)) return true;
    state.set(n, 2);
    return false;
  };
  return nodes.some(visit);
}

