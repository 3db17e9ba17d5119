// Reads a run config from disk: file → YAML → schema → cross-field checks. Every failure is a
// UserError with one line naming the field and what would be accepted (exit 2).
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UserError } from '../cli/errors.ts';
import { AXES, NO_NEMESIS, configSchema, type Config } from './schema.ts';
import { formatIssue, formatPath } from './issues.ts';
import { axisValues, nemesisSpec } from './values.ts';
import type { NemesisSpec } from '../runner/cell-params.ts';

/** What the rest of lockstorm knows about, so names in a config can be checked before a cluster starts. */
export interface Known {
  recipes: readonly string[];
  /** The nemesis's own validation of a spec (fault names, params); throws a UserError naming `field`. */
  checkNemesis?: (spec: NemesisSpec, field: string) => void;
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
    raw = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      const firstLine = (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, '');
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
  if (known.checkNemesis) {
    for (const name of Object.keys(config.nemeses)) {
      try {
        known.checkNemesis(nemesisSpec(config, name)!, `nemeses.${name}`);
      } catch (err) {
        if (err instanceof UserError) return err.message;
        throw err;
      }
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
