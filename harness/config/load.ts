// Reads a run config from disk: file → YAML → schema → cross-field checks. Every failure is a
// UserError with one line naming the field and what would be accepted (exit 2).
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UserError } from '../cli/errors.ts';
import { AXES, NO_NEMESIS, configSchema, type Axis, type Config } from './schema.ts';
import { formatIssue, formatPath } from './issues.ts';

/** What the rest of lockstorm knows about, so names in a config can be checked before a cluster starts. */
export interface Known {
  recipes: readonly string[];
  /** Fault families the nemesis implements; unchecked when absent. */
  faults?: readonly string[];
}

export async function loadConfigFile(path: string, known: Known): Promise<{ config: Config; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a config file' : (code ?? String(err));
    throw new UserError(`${path}: ${why}`);
  }
  return { config: parseConfig(text, path, known), text };
}

export function parseConfig(text: string, source: string, known: Known): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      const firstLine = err.message.split('\n')[0] ?? err.message;
      throw new UserError(`${source}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML: ${firstLine}`);
    }
    throw err;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`${source}: expected a YAML mapping at the top level (name, recipe, duration_s, …)`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new UserError(`${source}: ${formatIssue(issues[0]!, raw, configSchema)}${more}`);
  }
  const problem = crossCheck(parsed.data, known);
  if (problem) throw new UserError(`${source}: ${problem}`);
  return parsed.data;
}

function notOneOf(path: (string | number)[], value: unknown, allowed: readonly string[]): string {
  return `${formatPath(path)}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`;
}

/** Checks the schema cannot express: names that must exist elsewhere in the config or in lockstorm. */
function crossCheck(config: Config, known: Known): string | null {
  const recipeSlots: [(string | number)[], string][] = [
    [['recipe'], config.recipe],
    ...(config.matrix.recipe ?? []).map((r, i): [(string | number)[], string] => [['matrix', 'recipe', i], r]),
  ];
  for (const [path, recipe] of recipeSlots) {
    if (!known.recipes.includes(recipe)) return notOneOf(path, recipe, known.recipes);
  }
  const nemesisNames = [NO_NEMESIS, ...Object.keys(config.nemeses)];
  const nemesisSlots: [(string | number)[], string][] = [
    [['nemesis'], config.nemesis],
    ...(config.matrix.nemesis ?? []).map((n, i): [(string | number)[], string] => [['matrix', 'nemesis', i], n]),
  ];
  for (const [path, name] of nemesisSlots) {
    if (!nemesisNames.includes(name)) return notOneOf(path, name, nemesisNames);
  }
  if (known.faults) {
    for (const [name, def] of Object.entries(config.nemeses)) {
      const bad = def.faults.findIndex((f) => !known.faults!.includes(f));
      if (bad >= 0) return notOneOf(['nemeses', name, 'faults', bad], def.faults[bad], known.faults);
    }
  }
  // An expectation for a value no cell has is a typo that would silently leave a cell at the default.
  for (const axis of AXES) {
    const byValue = config.expect[axis];
    if (!byValue) continue;
    const values = axisValues(config, axis).map(String);
    for (const value of Object.keys(byValue)) {
      if (!values.includes(value)) return notOneOf(['expect', axis, value], value, values);
    }
  }
  return null;
}

/** The values an axis takes: the matrix's list, or the single top-level default. */
export function axisValues(config: Config, axis: Axis): (string | number)[] {
  const listed = config.matrix[axis];
  if (listed) return listed;
  if (axis === 'paxos_variant') return [config.cluster.paxos_variant];
  return [config[axis]];
}
