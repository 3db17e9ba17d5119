// User recipes in a config: the `recipes:` block's shape, the names `recipe:` and `matrix.recipe`
// accept, and loading each form from disk — every mistake one line naming the field and file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../checkers/lock/analyze.ts';
import { UserError } from '../core/errors.ts';
import type { CellParams } from '../core/cell.ts';
import { runFakeCell } from '../runner/fake/run-fake.ts';
import { planFromText } from './index.ts';
import { knownNames } from './known.ts';
import { resolveRecipes } from './resolve-recipes.ts';
import type { ResolvedRecipe } from './recipes.ts';

const known = knownNames();
const head = 'name: mine\nrecipe: lwt\nduration_s: 30\n';
const ROOT = resolve(import.meta.dirname, '../..');

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).not.toMatch(/[\n\r]/);
    return (err as UserError).message;
  }
  throw new Error('expected a UserError');
}

async function asyncErrorOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).not.toMatch(/[\n\r]/);
    return (err as UserError).message;
  }
  throw new Error('expected a UserError');
}

const configError = (recipesBlock: string) => errorOf(() => planFromText(`${head}recipes:\n${recipesBlock}`, 'c.yaml', known));

describe('the recipes: block', () => {
  it('accepts the three forms and lets recipe and matrix.recipe name them beside the built-ins', () => {
    const { plan, config } = planFromText(
      `${head}recipes:\n  my-yaml-lock: { file: locks/mine.yaml }\n  my-ts-lock: { module: locks/mine.ts }\n  my-java-lock: { command: [java, -jar, locks/lock-client.jar] }\nmatrix:\n  recipe: [lwt, my-yaml-lock, my-ts-lock, my-java-lock]\n`,
      'c.yaml',
      known,
    );
    expect(plan.cells.map((c) => c.params.recipe)).toEqual(['lwt', 'my-yaml-lock', 'my-ts-lock', 'my-java-lock']);
    expect(config.recipes['my-java-lock']).toEqual({ command: ['java', '-jar', 'locks/lock-client.jar'] });
  });

  it('needs exactly one form per entry', () => {
    expect(configError('  x: { file: a.yaml, module: b.ts }\n')).toBe('c.yaml: recipes.x: {"file":"a.yaml","module":"b.ts"} needs exactly one of file, module, command (it has file and module)');
    expect(configError('  x: {}\n')).toBe('c.yaml: recipes.x: {} needs exactly one of file, module, command');
  });

  it('names the field of a malformed form', () => {
    expect(configError('  my-java-lock: { command: [] }\n')).toBe('c.yaml: recipes.my-java-lock.command: needs at least 1 entry');
    expect(configError('  my-java-lock: { command: java -jar x.jar }\n')).toBe('c.yaml: recipes.my-java-lock.command: expected array, got "java -jar x.jar"');
    expect(configError('  my-java-lock: { command: [java, ""] }\n')).toBe('c.yaml: recipes.my-java-lock.command[1]: must not be empty');
    expect(configError('  x: { file: 3 }\n')).toBe('c.yaml: recipes.x.file: expected string, got 3');
    expect(configError('  x: { path: a.yaml }\n')).toBe('c.yaml: recipes.x.path: unknown field; allowed here: file, module, command (and 1 more)');
  });

  it('refuses a name that is no cell-folder name', () => {
    expect(configError('  My_Lock: { file: a.yaml }\n')).toBe('c.yaml: recipes.My_Lock: "My_Lock" is not a name (lower-case letters, digits, dashes; it names cell folders)');
  });

  it('refuses a user recipe that shadows a built-in', () => {
    expect(configError('  lwt: { file: a.yaml }\n')).toBe('c.yaml: recipes.lwt: "lwt" is a built-in recipe; give yours another name');
  });

  it('an unknown name in recipe or matrix.recipe lists the built-ins and the config’s own', () => {
    const e = errorOf(() => planFromText(`${head}recipes:\n  mine: { file: a.yaml }\nmatrix:\n  recipe: [lwt, mien]\n`, 'c.yaml', known));
    expect(e).toBe('c.yaml: matrix.recipe[1]: "mien" is not one of write-then-delete, lwt-ttl-plain-release, lwt, lwt-plain-delete, write-then-delete-retry, mine');
  });
});

/** A folder with a config in it and the given files beside it. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-recipes-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const LWT_SPEC = `summary: all LWT
tables:
  locks: id text PRIMARY KEY, owner text
holder: { column: owner }
acquire:
  - lwt: INSERT INTO locks (id, owner) VALUES (:key, :owner) IF NOT EXISTS USING TTL :ttl
    applied: success
release:
  - lwt: DELETE FROM locks WHERE id = :key IF owner = :owner
read: { cql: 'SELECT owner FROM locks WHERE id = :key', level: serial }
`;

async function resolveOne(files: Record<string, string>, entry: Record<string, unknown>): Promise<ResolvedRecipe> {
  const dir = folder(files);
  const catalog = await resolveRecipes({ recipes: { mine: entry } }, join(dir, 'c.yaml'));
  return catalog.get('mine')!;
}
const loadError = (files: Record<string, string>, entry: Record<string, unknown>) => asyncErrorOf(() => resolveOne(files, entry));
/** The error for a declarative file whose text is LWT_SPEC with one line replaced. */
const specError = (from: string, to: string) => {
  if (!LWT_SPEC.includes(from)) throw new Error(`not in the spec: ${from}`);
  return loadError({ 'locks/mine.yaml': LWT_SPEC.replace(from, to) }, { file: 'locks/mine.yaml' }).then((m) => m.replace(/^.*?c\.yaml: /, ''));
};

describe('loading a declarative recipe (file:)', () => {
  it('resolves the path against the config’s folder and builds the recipe under the config’s name', async () => {
    const r = await resolveOne({ 'locks/mine.yaml': LWT_SPEC }, { file: 'locks/mine.yaml' });
    expect(r.kind).toBe('file');
    if (r.kind !== 'file') return;
    expect(r.recipe.name).toBe('mine');
    expect(r.recipe.schema('ks')).toEqual(['CREATE TABLE ks.locks (id text PRIMARY KEY, owner text)']);
  });

  it('a missing file, a folder, bad YAML: one line naming the field and the file', async () => {
    expect(await loadError({}, { file: 'locks/none.yaml' })).toMatch(/c\.yaml: recipes\.mine\.file: locks\/none\.yaml: no such file$/);
    expect(await loadError({ 'locks/x': '' }, { file: 'locks' })).toMatch(/recipes\.mine\.file: locks: is a directory, not a config file$/);
    expect(await loadError({ 'a.yaml': 'summary: [\n' }, { file: 'a.yaml' })).toMatch(/recipes\.mine\.file: a\.yaml: line 2: not valid YAML: /);
    expect(await loadError({ 'a.yaml': '- 1\n' }, { file: 'a.yaml' })).toMatch(/recipes\.mine\.file: a\.yaml: \(top level\): expected object, got \[1\]$/);
  });

  it('each rule of the format names the field inside the file', async () => {
    const cases: [string, string, string][] = [
      ['    applied: success\n', '    applied: sucess\n', 'recipes.mine.file: locks/mine.yaml: acquire[0].applied: "sucess" is not one of success, refused, continue, or { if: { column, equals }, then, else }'],
      ['    applied: success\n', '    applied: { if: { column: owner, equals: x }, then: sucess, else: refused }\n', 'recipes.mine.file: locks/mine.yaml: acquire[0].applied.then: "sucess" is not one of success, refused, continue'],
      ['    applied: success\n', '    applied: { if: { column: ownr, equals: x }, then: success, else: refused }\n', 'recipes.mine.file: locks/mine.yaml: acquire[0].applied.if.column: "ownr" is not a column of the recipe\'s tables (id, owner)'],
      ['USING TTL :ttl', 'USING TTL :tll', 'recipes.mine.file: locks/mine.yaml: acquire[0].lwt: uses :tll, which is not a parameter here (:key, :owner, :ttl, :owner_number)'],
      ['(:key, :owner)', '(?, :owner)', 'recipes.mine.file: locks/mine.yaml: acquire[0].lwt: uses ?; name each parameter instead (:key, :owner, :ttl, :owner_number)'],
      [' IF owner = :owner', '', 'recipes.mine.file: locks/mine.yaml: release[0].lwt: has no IF condition, so it is not a lightweight transaction; make it a write step'],
      ['  - lwt: DELETE', '  - write: DELETE', 'recipes.mine.file: locks/mine.yaml: release[0].write: has an IF condition, which makes it a lightweight transaction; make it an lwt step'],
      ['  - lwt: DELETE FROM locks WHERE id = :key IF owner = :owner', '  - lwt: SELECT owner FROM locks WHERE id = :key IF x', 'recipes.mine.file: locks/mine.yaml: release[0].lwt: is not an INSERT, UPDATE or DELETE'],
      ["WHERE id = :key', level", "WHERE id = :key AND owner = :owner', level", 'recipes.mine.file: locks/mine.yaml: read.cql: uses :owner, which is not a parameter here (:key, :ttl)'],
      ['    applied: success\n', '    held: refused\n', 'recipes.mine.file: locks/mine.yaml: acquire[0].held: is not a field of a lwt step (it has applied, not_applied)'],
      ['  - lwt: DELETE', '  - read: SELECT owner FROM locks WHERE id = :key\n    lwt: DELETE', 'recipes.mine.file: locks/mine.yaml: release[0]: needs exactly one of lwt, write, read (it has lwt and read)'],
      ['holder: { column: owner }', 'holder: { column: holder }', 'recipes.mine.file: locks/mine.yaml: holder.column: "holder" is not a column of the recipe\'s tables (id, owner)'],
      ['holder: { column: owner }', 'holder: { column: owner }\nowner_numbers: { ttl: { times: 2 } }', 'recipes.mine.file: locks/mine.yaml: owner_numbers.ttl: "ttl" is a parameter lockstorm already gives; choose another name'],
      ['holder: { column: owner }', 'holder: { column: owner }\nafter_acquire_error: [{ op: release, until_ok: { max_attempts: 0 } }]', 'recipes.mine.file: locks/mine.yaml: after_acquire_error[0].until_ok.max_attempts: 0 must be at least 1'],
      ['holder: { column: owner }', 'holder: { column: owner }\nafter_acquire_error: [{ op: acquire }]', 'recipes.mine.file: locks/mine.yaml: after_acquire_error[0].op: "acquire" is not one of release, read'],
      ['holder: { column: owner }', 'holder: { column: owner, held_when: { column: owner, equals: [1] } }', 'recipes.mine.file: locks/mine.yaml: holder.held_when.equals: [1] is not a string, a number, true, false or null'],
      ['  locks: id text PRIMARY KEY, owner text\n', '  Locks: id text PRIMARY KEY, owner text\n', 'recipes.mine.file: locks/mine.yaml: tables.Locks: "Locks" is not a CQL identifier (lower-case letters, digits, underscore)'],
      ['summary: all LWT\n', '', 'recipes.mine.file: locks/mine.yaml: summary: required (string)'],
      ['summary: all LWT\n', 'summary: all LWT\nname: x\n', 'recipes.mine.file: locks/mine.yaml: name: unknown field; allowed here: summary, tables, owner_numbers, holder, complete_row, acquire, release, read, after_acquire_error'],
    ];
    for (const [from, to, want] of cases) expect(await specError(from, to)).toBe(want);
  });
});

const params: CellParams = {
  name: 'user-recipe',
  recipe: 'mine',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 3_600,
  keys: 2,
  clients: 4,
  durationMs: 2_000,
  opTimeoutMs: 300,
  thinkMs: 20,
  seed: 3,
  timestamps: { kind: 'driver' },
  nemesis: null,
};

describe('loading a module recipe (module:)', () => {
  it('the shipped example loads and is safe on the in-memory executor, under the config’s name', async () => {
    const catalog = await resolveRecipes({ recipes: { 'lease-lwt': { module: 'examples/recipes/lease-lwt.ts' } } }, join(ROOT, 'c.yaml'));
    const r = catalog.get('lease-lwt')!;
    expect(r.kind).toBe('module');
    const events = await runFakeCell({ ...params, recipe: 'lease-lwt' }, undefined, r);
    expect(events[0]).toMatchObject({ type: 'meta', recipe: 'lease-lwt' });
    const analysis = analyzeHistory(events, { ttlSeconds: params.ttlSeconds, timeoutMs: 30_000 });
    expect(analysis.verdict).toBe('safe');
    expect(analysis.ops.byF['acquire']?.ok).toBeGreaterThan(5);
    expect(events.some((e) => e.type === 'ok' && e.statements?.some((s) => s.cql.startsWith('INSERT INTO leases')))).toBe(true);
  });

  it('a .js module with a named `recipe` export loads too; the module’s own name gives way to the config’s', async () => {
    const js = `export const recipe = {
  name: 'whatever', summary: 'plain js', table: 'js_locks',
  schema: (ks) => [\`CREATE TABLE \${ks}.js_locks (id text PRIMARY KEY, owner text)\`],
  async acquire(x, key, owner, s) { const r = await x.cas('INSERT INTO js_locks (id, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?', [key, owner, s.ttlSeconds]); return r.applied ? { acquired: true } : { acquired: false, saw: v(r.row) }; },
  async release(x, key, owner) { const r = await x.cas('DELETE FROM js_locks WHERE id = ? IF owner = ?', [key, owner]); return r.applied ? { released: true } : { released: false, saw: v(r.row) }; },
  async read(x, key) { return v(await x.read('SELECT owner FROM js_locks WHERE id = ?', [key], 'serial')); },
  rowIsReachable: (row) => row === null || typeof row.owner === 'string',
};
function v(row) { return typeof row?.owner === 'string' ? { state: 'held', owner: row.owner, row } : { state: 'free', owner: null, row }; }
`;
    const r = await resolveOne({ 'locks/mine.mjs': js }, { module: 'locks/mine.mjs' });
    if (r.kind !== 'module') throw new Error(r.kind);
    expect(r.recipe.name).toBe('mine');
    const events = await runFakeCell(params, undefined, r);
    expect(analyzeHistory(events, { ttlSeconds: params.ttlSeconds, timeoutMs: 30_000 }).verdict).toBe('safe');
  });

  it('refuses what is not a Recipe module with one line naming the field and file', async () => {
    const good = 'export default { summary: "s", table: "t", schema: (ks) => [`CREATE TABLE ${ks}.t (id text PRIMARY KEY)`], acquire() {}, release() {}, read() {}, rowIsReachable: () => true };\n';
    const cases: [Record<string, string>, string, RegExp][] = [
      [{}, 'locks/none.ts', /c\.yaml: recipes\.mine\.module: locks\/none\.ts: no such file$/],
      [{ 'l.yaml': '' }, 'l.yaml', /recipes\.mine\.module: l\.yaml: must be a \.ts, \.mts, \.js, \.mjs module$/],
      [{ 'l.mjs': 'export default {\n' }, 'l.mjs', /recipes\.mine\.module: l\.mjs: cannot be loaded: /],
      [{ 'l.mjs': 'throw new Error("boom");\n' }, 'l.mjs', /recipes\.mine\.module: l\.mjs: cannot be loaded: boom$/],
      [{ 'l.mjs': 'export const other = 1;\n' }, 'l.mjs', /recipes\.mine\.module: l\.mjs: exports no Recipe \(export it as default, or as `recipe`\)$/],
      [{ 'l.mjs': good.replace('read() {}, ', '') }, 'l.mjs', /recipes\.mine\.module: l\.mjs: its Recipe needs `read`, a function$/],
      [{ 'l.mjs': good.replace('table: "t"', 'table: "a.b"') }, 'l.mjs', /recipes\.mine\.module: l\.mjs: its Recipe needs `table`, a CQL table name/],
      [{ 'l.mjs': good.replace('schema: (ks) =>', 'schema: (ks) => "x" ||') }, 'l.mjs', /recipes\.mine\.module: l\.mjs: its schema\(keyspace\) must return the CREATE TABLE statements/],
      [{ 'l.mjs': good.replace('summary: "s", ', '') }, 'l.mjs', /recipes\.mine\.module: l\.mjs: its Recipe needs `summary`, a non-empty string$/],
    ];
    for (const [files, path, want] of cases) expect(await loadError(files, { module: path })).toMatch(want);
  });
});

describe('command: entries', () => {
  it('resolve to the command and the config’s folder', async () => {
    const dir = folder({});
    const r = (await resolveRecipes({ recipes: { 'my-java-lock': { command: ['java', '-jar', 'x.jar'] } } }, join(dir, 'c.yaml'))).get('my-java-lock')!;
    expect(r).toEqual({ kind: 'command', name: 'my-java-lock', command: ['java', '-jar', 'x.jar'], cwd: dir });
  });
});
