// The CQL subset lockstorm reads: exactly the statements the recipes send, one strict pattern
// each, and nothing else. The in-memory executor runs it (harness/runner/fake/), and the torn-row
// checker reads the cells each recorded write gave (checkers/lock/provenance.ts); both import it
// from here because the history's own layer is the one both may use. Anything outside it is
// refused with the statement quoted, so nothing silently misreads a statement.
//
//   CREATE TABLE [ks.]t (id text PRIMARY KEY, c type, ...)      DROP TABLE IF EXISTS [ks.]t
//   INSERT INTO t (id, c, ...) VALUES (v, ...) [IF NOT EXISTS] [USING TTL v]
//   UPDATE t [USING TTL v] SET c = v, ... WHERE id = v [IF c op v]     op: = < <= > >=
//   DELETE FROM t WHERE id = v [IF c op v]
//   SELECT c | writetime(c) | ttl(c) [AS alias], ... FROM t WHERE id = v
//
// where v is `?` or a literal (true, false, an integer, 'text', null).

import type { JsonValue } from './schema.ts';

export type ColumnType = 'text' | 'boolean' | 'bigint' | 'int';
const TYPES: readonly ColumnType[] = ['text', 'boolean', 'bigint', 'int'];

/** A bound value: the n-th `?` of the statement, or a literal. */
export type Term = { param: number } | { literal: JsonValue };

export interface Equality {
  column: string;
  term: Term;
}

export type ConditionOp = '=' | '<' | '<=' | '>' | '>=';

/** An LWT's `IF column op value`. */
export interface Condition extends Equality {
  op: ConditionOp;
}

export interface SelectItem {
  fn: 'value' | 'writetime' | 'ttl';
  column: string;
  /** Name of the result column. */
  as: string;
}

export type Statement =
  | { kind: 'create'; table: string; key: string; columns: Map<string, ColumnType> }
  | { kind: 'drop'; table: string }
  | { kind: 'insert'; table: string; values: Equality[]; ifNotExists: boolean; ttl?: Term }
  | { kind: 'update'; table: string; ttl?: Term; set: Equality[]; where: Equality; condition?: Condition }
  | { kind: 'delete'; table: string; where: Equality; condition?: Condition }
  | { kind: 'select'; table: string; items: SelectItem[]; where: Equality };

export class UnsupportedCqlError extends Error {
  constructor(cql: string, why: string) {
    super(`"${cql}" is outside the CQL subset lockstorm reads: ${why}`);
    this.name = 'UnsupportedCqlError';
  }
}

const ID = '[A-Za-z_][A-Za-z0-9_]*';
const TABLE = `(?:${ID}\\.)?(${ID})`;
const TERM = String.raw`\$\d+|true|false|null|-?\d+|'(?:[^']|'')*'`;
const EQ = `(${ID}) = (${TERM})`;
const COND = `(${ID}) (=|<=|>=|<|>) (${TERM})`;

const PATTERNS = {
  create: new RegExp(`^CREATE TABLE ${TABLE} \\((.+)\\)$`, 'i'),
  drop: new RegExp(`^DROP TABLE IF EXISTS ${TABLE}$`, 'i'),
  insert: new RegExp(`^INSERT INTO ${TABLE} \\(([^)]+)\\) VALUES \\(([^)]+)\\)( IF NOT EXISTS)?(?: USING TTL (${TERM}))?$`, 'i'),
  update: new RegExp(`^UPDATE ${TABLE}(?: USING TTL (${TERM}))? SET (.+?) WHERE ${EQ}(?: IF ${COND})?$`, 'i'),
  delete: new RegExp(`^DELETE FROM ${TABLE} WHERE ${EQ}(?: IF ${COND})?$`, 'i'),
  select: new RegExp(`^SELECT (.+?) FROM ${TABLE} WHERE ${EQ}$`, 'i'),
};

/**
 * CQL's reserved keywords: Cassandra refuses them as bare identifiers (a syntax error), so the
 * subset does too, and a statement the fake would run is one the cluster accepts.
 */
const RESERVED = new Set(
  ('add allow alter and apply asc authorize batch begin by columnfamily create delete desc describe drop entries execute from full ' +
    'grant if in index infinity insert into keyspace limit modify nan norecursive not null of on or order primary rename replace ' +
    'revoke schema select set table to token truncate unlogged update use using view where with').split(' '),
);

/** `?` → `$0`, `$1`, ... in order, and runs of whitespace → one space. */
function normalize(cql: string): string {
  let n = 0;
  return cql
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/ ?, ?/g, ', ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .replace(/\?/g, () => `$${n++}`);
}

function term(text: string): Term {
  if (text.startsWith('$')) return { param: Number(text.slice(1)) };
  if (/^(true|false)$/i.test(text)) return { literal: text.toLowerCase() === 'true' };
  if (/^null$/i.test(text)) return { literal: null };
  if (text.startsWith("'")) return { literal: text.slice(1, -1).replace(/''/g, "'") };
  return { literal: Number(text) };
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

export function parseCql(cql: string): Statement {
  const s = normalize(cql);
  const refuse = (why: string): never => {
    throw new UnsupportedCqlError(cql, why);
  };
  let m: RegExpExecArray | null;
  if ((m = PATTERNS.create.exec(s))) {
    const columns = new Map<string, ColumnType>();
    let key: string | null = null;
    for (const def of list(m[2]!)) {
      const d = new RegExp(`^(${ID}) (${ID})( PRIMARY KEY)?$`, 'i').exec(def) ?? refuse(`column definition "${def}" is not "name type [PRIMARY KEY]"`);
      if (RESERVED.has(d[1]!.toLowerCase())) refuse(`column name ${d[1]} is a reserved word`);
      const type = d[2]!.toLowerCase() as ColumnType;
      if (!TYPES.includes(type)) refuse(`column type ${d[2]} is not one of ${TYPES.join(', ')}`);
      if (d[3]) {
        if (key !== null) refuse('only a single-column primary key is supported');
        key = d[1]!;
      }
      columns.set(d[1]!, type);
    }
    if (key === null) refuse('no PRIMARY KEY column');
    return { kind: 'create', table: m[1]!, key: key!, columns };
  }
  if ((m = PATTERNS.drop.exec(s))) return { kind: 'drop', table: m[1]! };
  if ((m = PATTERNS.insert.exec(s))) {
    const cols = list(m[2]!);
    const vals = list(m[3]!);
    if (cols.length !== vals.length) refuse(`${cols.length} columns but ${vals.length} values`);
    const values = cols.map((column, i) => {
      if (!new RegExp(`^(?:${TERM})$`, 'i').test(vals[i]!)) refuse(`value "${vals[i]}" is not ? or a literal`);
      return { column, term: term(vals[i]!) };
    });
    return { kind: 'insert', table: m[1]!, values, ifNotExists: m[4] !== undefined, ...(m[5] ? { ttl: term(m[5]) } : {}) };
  }
  if ((m = PATTERNS.update.exec(s))) {
    const set = list(m[3]!).map((a) => {
      const e = new RegExp(`^${EQ}$`, 'i').exec(a) ?? refuse(`assignment "${a}" is not "column = value"`);
      return { column: e[1]!, term: term(e[2]!) };
    });
    return {
      kind: 'update',
      table: m[1]!,
      ...(m[2] ? { ttl: term(m[2]) } : {}),
      set,
      where: { column: m[4]!, term: term(m[5]!) },
      ...(m[6] ? { condition: { column: m[6], op: m[7] as ConditionOp, term: term(m[8]!) } } : {}),
    };
  }
  if ((m = PATTERNS.delete.exec(s))) {
    return {
      kind: 'delete',
      table: m[1]!,
      where: { column: m[2]!, term: term(m[3]!) },
      ...(m[4] ? { condition: { column: m[4], op: m[5] as ConditionOp, term: term(m[6]!) } } : {}),
    };
  }
  if ((m = PATTERNS.select.exec(s))) {
    const items = list(m[1]!).map((item): SelectItem => {
      const e =
        new RegExp(`^(?:(writetime|ttl)\\((${ID})\\)|(${ID}))(?: AS (${ID}))?$`, 'i').exec(item) ??
        refuse(`selection "${item}" is not a column, writetime(column) or ttl(column) [AS alias]`);
      if (e[4] && RESERVED.has(e[4].toLowerCase())) refuse(`alias ${e[4]} is a reserved word`);
      const fn = (e[1]?.toLowerCase() ?? 'value') as SelectItem['fn'];
      const column = e[2] ?? e[3]!;
      return { fn, column, as: e[4] ?? (fn === 'value' ? column : `${fn}(${column})`) };
    });
    return { kind: 'select', table: m[2]!, items, where: { column: m[3]!, term: term(m[4]!) } };
  }
  return refuse('not one of the statement shapes of history/cql.ts');
}

/** The value a term takes with `params` bound; refuses a statement short of parameters. */
export function bind(t: Term, params: readonly unknown[], cql: string): JsonValue {
  if ('literal' in t) return t.literal;
  if (t.param >= params.length) throw new UnsupportedCqlError(cql, `it binds ${t.param + 1} or more values but ${params.length} were given`);
  const v = params[t.param];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new UnsupportedCqlError(cql, `parameter ${t.param} is a ${typeof v}, not a string, number or boolean`);
}
