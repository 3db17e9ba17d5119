// Turns a zod issue into the one line a user reads: where (YAML path), what was there, and what
// would have been accepted. Zod's own messages name types, not the user's field or the choices.
import type { z } from 'zod';
import { UserError } from '../core/errors.ts';

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    const name = String(part).length > SHOWN_MAX ? `${String(part).slice(0, SHOWN_MAX)}…` : String(part);
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? name : `.${name}`;
  }
  return out === '' ? '(top level)' : out;
}

/** The value the user wrote at `path`, for quoting it back. */
function valueAt(input: unknown, path: Path): unknown {
  let cur = input;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

interface SchemaDef {
  type: string;
  innerType?: SchemaNode;
  shape?: Record<string, SchemaNode>;
  element?: SchemaNode;
  valueType?: SchemaNode;
}
interface SchemaNode {
  _zod: { def: SchemaDef };
}

function unwrap(node: SchemaNode): SchemaNode {
  let cur = node;
  while (cur._zod.def.innerType) cur = cur._zod.def.innerType;
  return cur;
}

/** The schema at `path`, so an unknown field can be answered with the fields that are allowed. */
function schemaAt(root: SchemaNode, path: Path): SchemaNode | undefined {
  let cur: SchemaNode | undefined = unwrap(root);
  for (const part of path) {
    if (!cur) return undefined;
    const def: SchemaDef = cur._zod.def;
    const next: SchemaNode | undefined =
      def.type === 'object' ? def.shape?.[String(part)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    cur = next ? unwrap(next) : undefined;
  }
  return cur;
}

/** How YAML spells the numbers JSON cannot: quoting `.nan` back as `null` would hide the mistake. */
export function spellNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}

const SHOWN_MAX = 60;

/** A value quoted back to the user: as written, and short enough to stay on the line. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return spellNumber(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
}

/** Control characters (a newline in a key, a file name) would break the one-line rule; escape them. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The one error a bad config gives: `<file>: <what is wrong>`, one line, exit 2. */
export function configError(source: string, detail: string): UserError {
  return new UserError(oneLine(`${source}: ${detail}`));
}

const TYPE_WORDS: Record<string, string> = { int: 'a whole number' };

export function formatIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): string {
  const where = formatPath(issue.path);
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_value':
      return `${where}: ${show(got)} is not one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys': {
      const node = schemaAt(schema as unknown as SchemaNode, issue.path);
      const allowed = node?._zod.def.shape ? Object.keys(node._zod.def.shape) : [];
      const key = issue.keys[0] ?? '';
      const at = formatPath([...issue.path, key]);
      return `${at}: unknown field${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}`;
    }
    case 'invalid_type':
      if (got === undefined) return `${where}: required (${issue.expected})`;
      return `${where}: expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${show(got)}`;
    case 'too_small':
      if (issue.origin === 'array') return `${where}: needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      if (issue.origin === 'string') return `${where}: must not be empty`;
      return `${where}: ${show(got)} must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `${where}: may have at most ${String(issue.maximum)} entries`;
      if (issue.origin === 'string') return `${where}: may be at most ${String(issue.maximum)} characters long`;
      return `${where}: ${show(got)} must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `${where}: ${show(got)} has the wrong form (${issue.message})`;
    case 'custom':
      return `${where}: ${show(got)} ${issue.message}`;
    default:
      return `${where}: ${show(got)} is invalid (${issue.message})`;
  }
}
