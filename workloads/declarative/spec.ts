// The declarative recipe format (docs/recipes.md): a lock written as CQL in YAML. This schema is
// its one definition; every rule a spec must keep is checked here, so the interpreter
// (./interpret.ts) never meets a spec it cannot run.
import { z } from 'zod';
import type { WriteCL } from '../../harness/core/cell.ts';
import { bindNamed } from './named-params.ts';

/** What a step's result leads to: the operation succeeded, was refused, or goes on to the next step. */
export const OUTCOMES = ['success', 'refused', 'continue'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Parameters every acquire and release statement may use; `owner_numbers` adds more. */
export const OP_PARAMS = ['key', 'owner', 'ttl', 'owner_number'] as const;
/** A read operation has no owner. */
export const READ_PARAMS = ['key', 'ttl'] as const;

const FOLLOW_UP_WRITE_CLS = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE'] as const satisfies readonly WriteCL[];
export const MAX_FOLLOW_UP_ATTEMPTS = 1000;
export const MAX_FOLLOW_UP_PAUSE_MS = 60_000;

const NOT_IDENTIFIER = 'is not a CQL identifier (lower-case letters, digits, underscore)';
const isIdentifier = (v: string): boolean => /^[a-z_][a-z0-9_]*$/.test(v);
const identifier = z
  .string()
  .refine(isIdentifier, { error: (iss) => `${JSON.stringify(iss.input)} ${NOT_IDENTIFIER}` });
const cqlText = z.string().min(1);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'is not a string, a number, true, false or null' });

const condition = z.strictObject({
  column: identifier,
  /** Compared with ===: `false` is not `null`, a missing row has every column null. */
  equals: scalar,
});
const branch = z.strictObject({ if: condition, then: z.enum(OUTCOMES), else: z.enum(OUTCOMES) });
/** An outcome, or one chosen by a column of the step's row. */
const rule = z.union([z.enum(OUTCOMES), branch], { error: `is not one of ${OUTCOMES.join(', ')}, or { if: { column, equals }, then, else }` });
export type Rule = z.output<typeof rule>;

const KINDS = ['lwt', 'write', 'read'] as const;
/** Which result fields each statement kind has; any other is refused. */
const FIELDS_OF: Record<(typeof KINDS)[number], readonly string[]> = {
  lwt: ['applied', 'not_applied'],
  write: [],
  read: ['level', 'held', 'free'],
};
const RESULT_FIELDS = ['level', 'applied', 'not_applied', 'held', 'free'] as const;

const step = z
  .strictObject({
    /** A lightweight transaction (IF …): Paxos at the serial CL. */
    lwt: cqlText.optional(),
    /** A plain INSERT / UPDATE / DELETE at the write CL, stamped per the cell's timestamp mode. */
    write: cqlText.optional(),
    /** A SELECT of one partition; its first row is the step's row. */
    read: cqlText.optional(),
    level: z.enum(['read', 'serial']).optional(),
    applied: rule.optional(),
    not_applied: rule.optional(),
    held: rule.optional(),
    free: rule.optional(),
  })
  .superRefine((s, ctx) => {
    const kinds = KINDS.filter((k) => s[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `needs exactly one of ${KINDS.join(', ')}${kinds.length > 1 ? ` (it has ${kinds.join(' and ')})` : ''}` });
      return;
    }
    const kind = kinds[0]!;
    for (const field of RESULT_FIELDS) {
      if (s[field] !== undefined && !FIELDS_OF[kind].includes(field)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is not a field of a ${kind} step${FIELDS_OF[kind].length ? ` (it has ${FIELDS_OF[kind].join(', ')})` : ''}` });
      }
    }
  });
export type Step = z.output<typeof step>;

const steps = z.array(step).min(1);

/** `times × owner_number + plus`: a number naming the owner, for tables without a text owner column. */
const ownerNumber = z.strictObject({
  times: z.number().int().min(1),
  plus: z.number().int().min(0).default(0),
});

const holder = z.strictObject({
  /** The column naming the holder: the owner token as text, or (with `number`) as a number. */
  column: identifier,
  /** The column holds `times × owner_number + plus` (plus < times): the owner is `floor(value / times)`. */
  number: z.strictObject({ times: z.number().int().min(1) }).optional(),
  /** When the row is held; default: the holder column is set. */
  held_when: condition.optional(),
});

const followUp = z.strictObject({
  /** Recorded as an operation of its own on the same key (and owner, for a release). */
  op: z.enum(['release', 'read']),
  write_cl: z.enum(FOLLOW_UP_WRITE_CLS).optional(),
  until_ok: z
    .strictObject({
      max_attempts: z.number().int().min(1).max(MAX_FOLLOW_UP_ATTEMPTS),
      /** Wait between attempts, in ms: one sent at once meets the same fault. */
      pause_ms: z.number().int().min(0).max(MAX_FOLLOW_UP_PAUSE_MS).optional(),
    })
    .optional(),
});

export const recipeSpec = z
  .strictObject({
    summary: z.string().min(1),
    /** Table name → its column definitions. The first keeps the locks; all are made afresh per cell. */
    tables: z.record(z.string(), z.string().min(1)).refine((t) => Object.keys(t).length > 0, { message: 'needs at least one table' }),
    owner_numbers: z.record(z.string(), ownerNumber).default({}),
    holder,
    /** Columns every row the recipe writes has set; a row lacking one is torn. Default: the holder column. */
    complete_row: z.array(identifier).min(1).optional(),
    acquire: steps,
    release: steps,
    read: z.strictObject({ cql: cqlText, level: z.enum(['read', 'serial']) }),
    after_acquire_error: z.array(followUp).default([]),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    const known = new Set(tableColumns(spec.tables));
    for (const block of ['tables', 'owner_numbers'] as const) {
      for (const name of Object.keys(spec[block])) if (!isIdentifier(name)) issue([block, name], `${JSON.stringify(name)} ${NOT_IDENTIFIER}`);
    }
    for (const name of Object.keys(spec.owner_numbers)) {
      if ((OP_PARAMS as readonly string[]).includes(name)) issue(['owner_numbers', name], `${JSON.stringify(name)} is a parameter lockstorm already gives; choose another name`);
    }
    const opParams = [...OP_PARAMS, ...Object.keys(spec.owner_numbers)];
    for (const phase of ['acquire', 'release'] as const) {
      spec[phase].forEach((s, i) => {
        const kind = KINDS.find((k) => s[k] !== undefined)!;
        const problem = statementProblem(kind, s[kind]!, opParams);
        if (problem) issue([phase, i, kind], problem);
        for (const field of RESULT_FIELDS) {
          const r = s[field];
          if (typeof r === 'object' && r !== null && !known.has(r.if.column)) issue([phase, i, field, 'if', 'column'], columnProblem(r.if.column, known));
        }
      });
    }
    const readProblem = statementProblem('read', spec.read.cql, [...READ_PARAMS]);
    if (readProblem) issue(['read', 'cql'], readProblem);
    if (!known.has(spec.holder.column)) issue(['holder', 'column'], columnProblem(spec.holder.column, known));
    if (spec.holder.held_when && !known.has(spec.holder.held_when.column)) issue(['holder', 'held_when', 'column'], columnProblem(spec.holder.held_when.column, known));
    spec.complete_row?.forEach((c, i) => {
      if (!known.has(c)) issue(['complete_row', i], columnProblem(c, known));
    });
  });

export type RecipeSpec = z.output<typeof recipeSpec>;

function columnProblem(column: string, known: Set<string>): string {
  return `${JSON.stringify(column)} is not a column of the recipe's tables (${[...known].join(', ')})`;
}

const FIRST_WORD: Record<(typeof KINDS)[number], RegExp> = { lwt: /^\s*(INSERT|UPDATE|DELETE)\b/i, write: /^\s*(INSERT|UPDATE|DELETE)\b/i, read: /^\s*SELECT\b/i };

/** Why a statement cannot be sent as a step of this kind, or null. */
function statementProblem(kind: (typeof KINDS)[number], text: string, params: readonly string[]): string | null {
  if (!FIRST_WORD[kind].test(text)) return kind === 'read' ? 'is not a SELECT' : 'is not an INSERT, UPDATE or DELETE';
  const bound = bindNamed(text);
  if (bound.positional) return `uses ?; name each parameter instead (${params.map((p) => `:${p}`).join(', ')})`;
  const unknown = bound.names.find((n) => !params.includes(n));
  if (unknown !== undefined) return `uses :${unknown}, which is not a parameter here (${params.map((p) => `:${p}`).join(', ')})`;
  const conditional = /\bIF\b/i.test(bound.cql.replace(/'(?:[^']|'')*'/g, "''"));
  if (kind === 'lwt' && !conditional) return 'has no IF condition, so it is not a lightweight transaction; make it a write step';
  if (kind === 'write' && conditional) return 'has an IF condition, which makes it a lightweight transaction; make it an lwt step';
  return null;
}

/** Column names from each table's definitions: the first word of each top-level part but PRIMARY KEY (…). */
export function tableColumns(tables: Record<string, string>): string[] {
  const out: string[] = [];
  for (const defs of Object.values(tables)) {
    let depth = 0;
    let part = '';
    const parts: string[] = [];
    for (const c of defs) {
      if (c === '(' || c === '<') depth++;
      if (c === ')' || c === '>') depth--;
      if (c === ',' && depth === 0) {
        parts.push(part);
        part = '';
      } else part += c;
    }
    parts.push(part);
    for (const p of parts) {
      const word = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(p)?.[1];
      if (word && !/^\s*PRIMARY\s+KEY\b/i.test(p)) out.push(word.toLowerCase());
    }
  }
  return out;
}
