// Turns a zod issue into the one line a user reads: where (YAML path), what was there, and what
// would have been accepted. Zod's own messages name types, not the user's field or the choices.
import type { z } from 'zod';

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
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

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

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
      return `${where}: expected ${issue.expected}, got ${show(got)}`;
    case 'too_small':
      if (issue.origin === 'array') return `${where}: needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      if (issue.origin === 'string') return `${where}: must not be empty`;
      return `${where}: ${show(got)} must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`;
    case 'invalid_format':
      return `${where}: ${show(got)} has the wrong form (${issue.message})`;
    case 'custom':
      return `${where}: ${show(got)} ${issue.message}`;
    default:
      return `${where}: ${show(got)} is invalid (${issue.message})`;
  }
}
