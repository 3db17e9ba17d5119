// Tie mode, whatever a recipe calls its columns: before a plain write, the executor reads the
// newest write timestamp among the regular cells of the row that write touches, and stamps the
// write with exactly that. The row is found from the statement itself (its table and the values
// it binds to the primary key); the table's columns come from the executor (system_schema on a
// real cluster, the declared schema in the fake).

/** Tie mode met a statement it cannot tie: a mistake in the harness or recipe, never an outcome. */
export class TieModeError extends Error {
  constructor(message: string) {
    super(`tie mode: ${message}`);
    this.name = 'TieModeError';
  }
}

/** The columns of one table, by role. */
export interface TableShape {
  /** Partition key then clustering columns, in key order. */
  primaryKey: string[];
  regular: string[];
}

/** Where a plain write lands: its table, and the value it gives each primary-key column. */
export interface WriteTarget {
  table: string;
  key: Map<string, unknown>;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const TABLE = `(?:${IDENT}\\.)?(${IDENT})`;
const LITERAL = String.raw`\$\d+|true|false|-?\d+|'(?:[^']|'')*'`;

/** Replaces each `?` with `$<n>` (its parameter's index), so patterns can name parameters. */
function numbered(cql: string): string {
  let n = 0;
  return cql.trim().replace(/\?/g, () => `$${n++}`);
}

function valueOf(token: string, params: readonly unknown[]): unknown {
  if (token.startsWith('$')) {
    const i = Number(token.slice(1));
    if (i >= params.length) throw new TieModeError(`the statement binds more values than the ${params.length} given`);
    return params[i];
  }
  if (token === 'true' || token === 'false') return token === 'true';
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  return Number(token);
}

/** `a = $0 AND b = 'x'` → {a → params[0], b → 'x'}. */
function equalities(where: string, params: readonly unknown[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const part of where.split(/\s+AND\s+/i)) {
    const m = new RegExp(`^(${IDENT})\\s*=\\s*(${LITERAL})$`).exec(part.trim());
    if (!m) throw new TieModeError(`cannot read the row from "${part.trim()}"`);
    out.set(m[1]!, valueOf(m[2]!, params));
  }
  return out;
}

/** The table a plain INSERT, UPDATE or DELETE writes, and the value it gives each column it names. */
function parseWrite(cql: string, params: readonly unknown[]): { table: string; given: Map<string, unknown> } {
  const s = numbered(cql);
  const insert = new RegExp(`^INSERT\\s+INTO\\s+${TABLE}\\s*\\(([^)]*)\\)\\s*VALUES\\s*\\(([^)]*)\\)`, 'i').exec(s);
  if (insert) {
    const cols = insert[2]!.split(',').map((c) => c.trim());
    const vals = insert[3]!.split(',').map((v) => v.trim());
    if (cols.length !== vals.length) throw new TieModeError(`${cols.length} columns but ${vals.length} values in "${cql}"`);
    return { table: insert[1]!, given: new Map(cols.map((c, i) => [c, valueOf(vals[i]!, params)])) };
  }
  const where = new RegExp(`^(?:UPDATE|DELETE\\b[^;]*?\\bFROM)\\s+${TABLE}\\b[\\s\\S]*?\\bWHERE\\s+([\\s\\S]+?)(?:\\s+IF\\s+[\\s\\S]*)?$`, 'i').exec(s);
  if (where) return { table: where[1]!, given: equalities(where[2]!, params) };
  throw new TieModeError(`cannot tell which row "${cql}" writes`);
}

/**
 * The row a plain INSERT, UPDATE or DELETE writes. Throws (loudly: tie mode cannot guess) for any
 * statement it cannot read the row from.
 */
export async function targetOfWrite(
  cql: string,
  params: readonly unknown[],
  shapeOf: (table: string) => Promise<TableShape>,
): Promise<{ target: WriteTarget; shape: TableShape }> {
  const { table, given } = parseWrite(cql, params);
  const shape = await shapeOf(table);
  const key = new Map<string, unknown>();
  for (const col of shape.primaryKey) {
    if (!given.has(col)) throw new TieModeError(`"${cql}" gives no value for key column ${col} of ${table}`);
    key.set(col, given.get(col));
  }
  return { target: { table, key }, shape };
}

/**
 * The stamp a tied plain write carries: the newest write timestamp among the regular cells of the
 * row it writes, read with `read`; null when that row has no live cell (the write keeps its own).
 */
export async function tieStamp(
  cql: string,
  params: readonly unknown[],
  shapeOf: (table: string) => Promise<TableShape>,
  read: (cql: string, params: unknown[]) => Promise<Readonly<Record<string, unknown>> | null>,
): Promise<number | null> {
  const { target, shape } = await targetOfWrite(cql, params, shapeOf);
  const q = writetimeRead(target, shape);
  return newestStamp(await read(q.cql, q.params));
}

/** The read that returns the newest write timestamp of each regular cell of `target`'s row. */
export function writetimeRead(target: WriteTarget, shape: TableShape): { cql: string; params: unknown[] } {
  if (shape.regular.length === 0) throw new TieModeError(`table ${target.table} has no regular columns to tie with`);
  const cols = shape.regular.map((c, i) => `writetime(${c}) AS w${i}`).join(', ');
  const where = [...target.key.keys()].map((c) => `${c} = ?`).join(' AND ');
  return { cql: `SELECT ${cols} FROM ${target.table} WHERE ${where}`, params: [...target.key.values()] };
}

/** The newest of the write timestamps read back, or null when the row has no live cell. */
export function newestStamp(row: Readonly<Record<string, unknown>> | null): number | null {
  let newest: number | null = null;
  for (const v of Object.values(row ?? {})) if (typeof v === 'number' && (newest === null || v > newest)) newest = v;
  return newest;
}
