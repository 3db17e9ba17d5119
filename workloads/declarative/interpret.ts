// A validated declarative spec (./spec.ts) → a Recipe. Each step sends one statement through the
// Executor exactly as a TypeScript recipe would (named parameters become positional markers), so
// the executor records the same statements, levels and writes for torn-row provenance.
import type { JsonValue, ReadValue } from '../../history/index.ts';
import { numberToToken, tokenToNumber, type Executor, type FollowUp, type Recipe, type RecipeSettings, type Row } from '../recipe.ts';
import { bindNamed } from './named-params.ts';
import type { Outcome, RecipeSpec, Rule, Step } from './spec.ts';

type Params = Record<string, unknown>;

/** A statement ready to send: its CQL with `?` markers, and how to fill them. */
interface Prepared {
  cql: string;
  values(p: Params): unknown[];
}

function prepare(text: string): Prepared {
  const { cql, names } = bindNamed(text);
  return { cql, values: (p) => names.map((n) => p[n]) };
}

function holderValue(spec: RecipeSpec): (row: Row | null) => ReadValue {
  const { column, number, held_when } = spec.holder;
  return (row) => {
    const v = row?.[column] ?? null;
    const owner = number ? (typeof v === 'number' ? numberToToken(Math.floor(v / number.times)) : null) : typeof v === 'string' ? v : null;
    const held = held_when ? row !== null && (row[held_when.column] ?? null) === held_when.equals : v !== null;
    return held ? { state: 'held', owner, row } : { state: 'free', owner: null, row };
  };
}

function decide(rule: Rule, row: Row | null): Outcome {
  if (typeof rule === 'string') return rule;
  const v: JsonValue = row?.[rule.if.column] ?? null;
  return v === rule.if.equals ? rule.then : rule.else;
}

interface CompiledStep {
  /** Runs the step: its outcome and the row it saw (null for a write). */
  run(x: Executor, p: Params): Promise<{ outcome: Outcome; row: Row | null }>;
}

function compileStep(s: Step, isHeld: (row: Row | null) => boolean): CompiledStep {
  if (s.lwt !== undefined) {
    const st = prepare(s.lwt);
    const applied = s.applied ?? 'continue';
    const notApplied = s.not_applied ?? 'refused';
    return {
      async run(x, p) {
        const r = await x.cas(st.cql, st.values(p));
        return { outcome: decide(r.applied ? applied : notApplied, r.row), row: r.row };
      },
    };
  }
  if (s.write !== undefined) {
    const st = prepare(s.write);
    return {
      async run(x, p) {
        await x.write(st.cql, st.values(p));
        return { outcome: 'continue', row: null };
      },
    };
  }
  const st = prepare(s.read!);
  const level = s.level ?? 'read';
  const held = s.held ?? 'refused';
  const free = s.free ?? 'continue';
  return {
    async run(x, p) {
      const row = await x.read(st.cql, st.values(p), level);
      return { outcome: decide(isHeld(row) ? held : free, row), row };
    },
  };
}

export function recipeFromSpec(name: string, spec: RecipeSpec): Recipe {
  const valueOf = holderValue(spec);
  const [lockTable, ...otherTables] = Object.keys(spec.tables) as [string, ...string[]];
  const isHeld = (row: Row | null): boolean => valueOf(row).state === 'held';
  const compile = (steps: Step[]): CompiledStep[] => steps.map((s) => compileStep(s, isHeld));
  const acquireSteps = compile(spec.acquire);
  const releaseSteps = compile(spec.release);
  const read = prepare(spec.read.cql);
  const complete = spec.complete_row ?? [spec.holder.column];

  const opParams = (key: string, owner: string, s: RecipeSettings): Params => {
    const n = tokenToNumber(owner);
    const p: Params = { key, owner, ttl: s.ttlSeconds, owner_number: n };
    for (const [k, f] of Object.entries(spec.owner_numbers)) p[k] = f.times * n + f.plus;
    return p;
  };
  /** Steps in order until one decides; running past the last step is a success. */
  const runSteps = async (steps: CompiledStep[], x: Executor, p: Params): Promise<{ ok: true } | { ok: false; saw: ReadValue }> => {
    for (const st of steps) {
      const { outcome, row } = await st.run(x, p);
      if (outcome === 'success') return { ok: true };
      if (outcome === 'refused') return { ok: false, saw: valueOf(row) };
    }
    return { ok: true };
  };

  const recipe: Recipe = {
    name,
    summary: spec.summary,
    table: lockTable,
    // Extra tables are dropped here, as the harness drops the lock table, so no cell sees another's rows.
    schema: (ks) => [
      `CREATE TABLE ${ks}.${lockTable} (${spec.tables[lockTable]})`,
      ...otherTables.flatMap((t) => [`DROP TABLE IF EXISTS ${ks}.${t}`, `CREATE TABLE ${ks}.${t} (${spec.tables[t]})`]),
    ],
    async acquire(x, key, owner, s) {
      const r = await runSteps(acquireSteps, x, opParams(key, owner, s));
      return r.ok ? { acquired: true } : { acquired: false, saw: r.saw };
    },
    async release(x, key, owner, s) {
      const r = await runSteps(releaseSteps, x, opParams(key, owner, s));
      return r.ok ? { released: true } : { released: false, saw: r.saw };
    },
    async read(x, key, s) {
      return valueOf(await x.read(read.cql, read.values({ key, ttl: s.ttlSeconds }), spec.read.level));
    },
    rowIsReachable: (row) => row === null || complete.every((c) => (row[c] ?? null) !== null),
  };
  if (spec.after_acquire_error.length > 0) {
    recipe.afterAcquireError = (key, owner) =>
      spec.after_acquire_error.map((f): FollowUp => ({
        op: f.op === 'release' ? { f: 'release', key, owner } : { f: 'read', key },
        ...(f.write_cl ? { writeCl: f.write_cl } : {}),
        ...(f.until_ok
          ? { untilOk: { maxAttempts: f.until_ok.max_attempts, ...(f.until_ok.pause_ms !== undefined ? { pauseMs: f.until_ok.pause_ms } : {}) } }
          : {}),
      }));
  }
  return recipe;
}
