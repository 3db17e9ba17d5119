// A validated config's recipe names → ResolvedRecipes (./recipes.ts): the built-ins, and the
// config's own `recipes:` loaded from disk — declarative YAML parsed and checked against its
// schema, modules imported and their export checked. Paths are relative to the config file's
// folder. Every failure is one line: `<config>: recipes.<name>.<form>: <path>: <what is wrong>`.
import { stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTypeScriptLoader } from '../core/typescript-loader.ts';
import type { z } from 'zod';
import { recipes as builtins } from '../../workloads/index.ts';
import { recipeFromSpec } from '../../workloads/declarative/interpret.ts';
import { recipeSpec } from '../../workloads/declarative/spec.ts';
import type { Recipe } from '../../workloads/recipe.ts';
import { UserError } from '../core/errors.ts';
import { configError, formatIssue, formatPath, show } from './issues.ts';
import { readConfigText } from './read.ts';
import type { RecipeCatalog, RecipeEntry, ResolvedRecipe } from './recipes.ts';
import type { Config } from './schema.ts';
import { parseYamlText } from './yaml-text.ts';

export const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** Every built-in and every entry of `recipes:`, loaded; `configPath` is the config file the paths are relative to. */
export async function resolveRecipes(config: Pick<Config, 'recipes'>, configPath: string): Promise<RecipeCatalog> {
  const catalog = new Map<string, ResolvedRecipe>();
  for (const [name, recipe] of Object.entries(builtins)) catalog.set(name, { kind: 'builtin', name, recipe });
  const cwd = dirname(resolve(configPath));
  for (const [name, entry] of Object.entries(config.recipes)) catalog.set(name, await resolveEntry(name, entry, cwd, configPath));
  return catalog;
}

async function resolveEntry(name: string, entry: RecipeEntry, cwd: string, configPath: string): Promise<ResolvedRecipe> {
  if (entry.command) return { kind: 'command', name, command: entry.command, cwd };
  const form = entry.file !== undefined ? 'file' : 'module';
  const rel = (entry.file ?? entry.module)!;
  const path = resolve(cwd, rel);
  const fail = (detail: string): UserError => configError(configPath, `recipes.${name}.${form}: ${rel}: ${detail}`);
  if (form === 'file') return { kind: 'file', name, path, recipe: await loadDeclarative(name, path, fail) };
  return { kind: 'module', name, path, recipe: await loadModule(name, path, fail) };
}

/** The problem in a UserError `<path>: <detail>` from the config reader, without its path. */
function detailOf(err: UserError, path: string): string {
  if (!err.message.startsWith(path)) return err.message;
  const m = /^(?::(\d+):\d+)?: (.*)$/.exec(err.message.slice(path.length));
  if (!m) return err.message;
  return m[1] ? `line ${m[1]}: ${m[2]}` : m[2]!;
}

export async function loadDeclarative(name: string, path: string, fail: (detail: string) => UserError): Promise<Recipe> {
  let raw: unknown;
  try {
    raw = parseYamlText(await readConfigText(path), path);
  } catch (err) {
    if (err instanceof UserError) throw fail(detailOf(err, path));
    throw err;
  }
  const parsed = recipeSpec.safeParse(raw);
  if (!parsed.success) throw fail(specIssueLine(innermost(parsed.error.issues[0]!, raw), raw));
  return recipeFromSpec(name, parsed.data);
}

type Issue = z.core.$ZodIssue;

/** The format's own rules say what was wrong in full (a statement is too long to quote back). */
function specIssueLine(issue: Issue, raw: unknown): string {
  return issue.code === 'custom' ? `${formatPath(issue.path)}: ${issue.message}` : formatIssue(issue, raw, recipeSpec);
}

/**
 * A union's failure as the issue of the option the user evidently meant (the one that got past
 * the value's type), with its full path; else the union's own message.
 */
function innermost(issue: Issue, raw: unknown): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const atTop = (i: Issue): boolean => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
  const meant = issue.errors.find((list) => list.length > 0 && !atTop(list[0]!));
  if (!meant) {
    const got = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
    return { code: 'custom', path: issue.path, message: `${show(got)} ${issue.message}`, input: got };
  }
  const inner = meant[0]!;
  return innermost({ ...inner, path: [...issue.path, ...inner.path] } as Issue, raw);
}

const RECIPE_METHODS = ['schema', 'acquire', 'release', 'read', 'rowIsReachable'] as const;

export async function loadModule(name: string, path: string, fail: (detail: string) => UserError): Promise<Recipe> {
  if (!(MODULE_EXTENSIONS as readonly string[]).includes(extname(path))) throw fail(`must be a ${MODULE_EXTENSIONS.join(', ')} module`);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw fail(info ? 'is not a file' : 'no such file');
  let mod: Record<string, unknown>;
  try {
    if (/\.m?ts$/.test(path)) await ensureTypeScriptLoader();
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw fail(`cannot be loaded: ${firstLine(err)}`);
  }
  const exported = mod['default'] ?? mod['recipe'];
  if (exported === null || typeof exported !== 'object') throw fail('exports no Recipe (export it as default, or as `recipe`)');
  const r = exported as Record<string, unknown>;
  const problem = recipeShapeProblem(r);
  if (problem) throw fail(problem);
  return renamed(r, name);
}

/**
 * The module's recipe under the config's name, which names the cells and the history (the
 * module's own `name`, if any, does not). Every member is kept — optional ones included, class
 * methods too — with functions still bound to the module's object.
 */
function renamed(r: Record<string, unknown>, name: string): Recipe {
  const out: Record<string, unknown> = {};
  for (let o: object | null = r; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || key in out) continue;
      const v = r[key];
      out[key] = typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(r) : v;
    }
  }
  out['name'] = name;
  return out as unknown as Recipe;
}

/** Why a module's export is not a Recipe, or null. */
function recipeShapeProblem(r: Record<string, unknown>): string | null {
  if (typeof r['summary'] !== 'string' || r['summary'] === '') return 'its Recipe needs `summary`, a non-empty string';
  if (typeof r['table'] !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(r['table'])) return 'its Recipe needs `table`, a CQL table name (lower-case letters, digits, underscore)';
  for (const m of RECIPE_METHODS) if (typeof r[m] !== 'function') return `its Recipe needs \`${m}\`, a function`;
  if (r['afterAcquireError'] !== undefined && typeof r['afterAcquireError'] !== 'function') return 'its `afterAcquireError` is not a function';
  let schema: unknown;
  try {
    schema = (r['schema'] as (ks: string) => unknown)('ks');
  } catch (err) {
    return `its schema("ks") threw: ${firstLine(err)}`;
  }
  if (!Array.isArray(schema) || schema.length === 0 || !schema.every((s) => typeof s === 'string')) return 'its schema(keyspace) must return the CREATE TABLE statements, a non-empty array of strings';
  return null;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
