// Reads a run config from disk: file → YAML → schema → cross-field checks. Every failure is a
// UserError with one line naming the field and what would be accepted (exit 2).
import { exactVersion, lineFacts } from '../cluster/versions.ts';
import type { CapabilityName } from '../cluster/cluster.ts';
import { PROVIDER_CAPABILITIES, lackingCapabilities } from '../cluster/provider-config.ts';
import { yamlSettingProblem } from '../cluster/yaml-settings.ts';
import type { NemesisIssue, NemesisMix } from '../nemesis/index.ts';
import { parseTimestampMode } from './expand.ts';
import { configError, formatIssue, formatPath, show, spellNumber } from './issues.ts';
import { MAX_CELLS } from './limits.ts';
import { firstNonFinite } from './non-finite.ts';
import { readConfigText } from './read.ts';
import { AXES, NO_NEMESIS, configSchema, type Axis, type Config } from './schema.ts';
import { recipeNameProblem } from './recipes.ts';
import { PAXOS_BY_VERSION, axisValues } from './values.ts';
import { parseYamlText } from './yaml-text.ts';

/** What the rest of lockstorm knows about, so names in a config can be checked before a cluster starts. */
export interface Known {
  recipes: readonly string[];
  /** The nemesis's own validation of a mix (fault names, params, timing): its problems, path inside the mix. */
  checkNemesis?: (mix: NemesisMix) => NemesisIssue[];
  /** The faults a list of fault names stands for, each with the cluster capability it needs. */
  faultNeeds?: (names: readonly string[]) => Array<{ fault: string; needs: CapabilityName }>;
  /** Recipes that hand out a sound fencing token (Recipe.fenceToken); absent: fencing is not checked. */
  fencedRecipes?: readonly string[];
}

export async function loadConfigFile(path: string, known: Known): Promise<{ config: Config; text: string }> {
  const text = await readConfigText(path);
  return { config: parseConfig(text, path, known), text };
}

/** Text + the name to report it under → a validated config, or a one-line UserError. */
export function parseConfig(text: string, source: string, known: Known): Config {
  const raw = parseYamlText(text, source);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError(source, 'expected a YAML mapping at the top level (name, recipe, duration_s, …)');
  }
  const nonFinite = firstNonFinite(raw);
  if (nonFinite) throw configError(source, `${formatPath(nonFinite.path)}: ${spellNumber(nonFinite.value)} is not a finite number`);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw configError(source, `${formatIssue(issues[0]!, raw, configSchema)}${more}`);
  }
  const problem = crossCheck(parsed.data, known);
  if (problem) throw configError(source, problem);
  return parsed.data;
}

function notOneOf(path: (string | number)[], value: unknown, allowed: readonly string[]): string {
  return `${formatPath(path)}: ${show(value)} is not one of ${allowed.join(', ')}`;
}

/** Checks the schema cannot express: names that must exist elsewhere in the config or in lockstorm. */
function crossCheck(config: Config, known: Known): string | null {
  // `none` is the absence of faults; a mix by that name could never be chosen.
  if (Object.hasOwn(config.nemeses, NO_NEMESIS)) {
    return `nemeses.${NO_NEMESIS}: "${NO_NEMESIS}" is reserved for "no faults"; give the mix another name`;
  }
  const recipeSlots: [(string | number)[], string][] = [
    [['recipe'], config.recipe],
    ...(config.matrix.recipe ?? []).map((r, i): [(string | number)[], string] => [['matrix', 'recipe', i], r]),
  ];
  for (const name of Object.keys(config.recipes)) {
    const problem = recipeNameProblem(name);
    if (problem) return `${formatPath(['recipes', name])}: ${show(name)} ${problem}`;
  }
  // A user recipe named like a built-in would make one name mean two recipes in one report.
  const shadowing = Object.keys(config.recipes).find((name) => known.recipes.includes(name));
  if (shadowing) return `recipes.${shadowing}: "${shadowing}" is a built-in recipe; give yours another name`;
  const recipeNames = [...known.recipes, ...Object.keys(config.recipes)];
  for (const [path, recipe] of recipeSlots) {
    if (!recipeNames.includes(recipe)) return notOneOf(path, recipe, recipeNames);
  }
  const nemesisNames = [NO_NEMESIS, ...Object.keys(config.nemeses)];
  const nemesisSlots: [(string | number)[], string][] = [
    [['nemesis'], config.nemesis],
    ...(config.matrix.nemesis ?? []).map((n, i): [(string | number)[], string] => [['matrix', 'nemesis', i], n]),
  ];
  for (const [path, name] of nemesisSlots) {
    if (!nemesisNames.includes(name)) return notOneOf(path, name, nemesisNames);
  }
  const repeated = duplicateAxisValue(config);
  if (repeated) return repeated;
  const fencingProblem = fencingConflict(config, known, recipeSlots);
  if (fencingProblem) return fencingProblem;
  const sizes = AXES.map((axis) => axisValues(config, axis).length);
  const cells = sizes.reduce((a, b) => a * b, 1);
  if (cells > MAX_CELLS) {
    return `matrix: expands to ${cells} cells (${sizes.filter((n) => n > 1).join(' × ')}); at most ${MAX_CELLS} are allowed, split the config`;
  }
  for (const name of Object.keys(config.nemeses)) {
    const [i] = known.checkNemesis?.(config.nemeses[name]!) ?? [];
    if (i) return `${formatPath(['nemeses', name, ...i.path])}: ${i.message}`;
  }
  const providerProblem = faultsTheProviderLacks(config, known);
  if (providerProblem) return providerProblem;
  const versionProblem = paxosVersionConflict(config) ?? yamlSettingsConflict(config);
  if (versionProblem) return versionProblem;
  // An expectation for a value no cell has is a typo that would silently leave a cell at the default.
  for (const axis of AXES) {
    const byValue = config.expect[axis];
    if (!byValue) continue;
    const listed = axisValues(config, axis).map(String);
    const values = listed.includes(PAXOS_BY_VERSION) ? ['v1', 'v2'] : listed;
    for (const value of Object.keys(byValue)) {
      if (!values.includes(value)) return notOneOf(['expect', axis, value], value, values);
    }
  }
  return null;
}

/** A mix some cell uses that asks for a fault the chosen provider cannot run (e.g. node faults on an existing cluster). */
function faultsTheProviderLacks(config: Config, known: Known): string | null {
  if (!known.faultNeeds) return null;
  const used = new Set([config.nemesis, ...(config.matrix.nemesis ?? [])]);
  for (const name of used) {
    const mix = config.nemeses[name];
    if (!mix) continue;
    const lacking = lackingCapabilities(config.cluster.provider, known.faultNeeds(mix.faults));
    if (lacking.length === 0) continue;
    const needs = [...new Set(lacking.map((l) => l.needs))].join(', ');
    const offers = PROVIDER_CAPABILITIES[config.cluster.provider].join(', ');
    return `${formatPath(['nemeses', name, 'faults'])}: provider ${config.cluster.provider} cannot run ${lacking.map((l) => l.fault).join(', ')} (they need ${needs}; it offers ${offers})`;
  }
  return null;
}

/** Where each value of an axis is written, for naming it in an error: the matrix entry or the cluster field. */
function slotsOf(config: Config, axis: 'paxos_variant' | 'cassandra_version'): Array<{ path: (string | number)[]; value: string }> {
  const listed = config.matrix[axis];
  if (listed) return listed.map((value, i) => ({ path: ['matrix', axis, i], value: String(value) }));
  const value = config.cluster[axis];
  return value === undefined ? [] : [{ path: ['cluster', axis], value: String(value) }];
}

/** Paxos v2 exists from Cassandra 4.1 on: every cell pairing v2 with an older version is refused. */
function paxosVersionConflict(config: Config): string | null {
  const v2 = slotsOf(config, 'paxos_variant').find((s) => s.value === 'v2');
  if (!v2) return null;
  const old = slotsOf(config, 'cassandra_version').find((s) => !lineFacts(s.value).paxosV2);
  if (!old) return null;
  return `${formatPath(v2.path)}: v2 needs cassandra_version 4.1 or later (${formatPath(old.path)} is ${JSON.stringify(old.value)})`;
}

/** Every `cluster.settings` key must be a setting of every version the config runs. */
function yamlSettingsConflict(config: Config): string | null {
  const versions = slotsOf(config, 'cassandra_version');
  for (const key of Object.keys(config.cluster.settings)) {
    for (const v of versions) {
      const problem = yamlSettingProblem(key, v.value);
      if (problem) {
        const why = problem.startsWith('is not') && versions.length > 1 ? ` (${formatPath(v.path)})` : '';
        return `${formatPath(['cluster', 'settings', key])}: ${problem}${why}`;
      }
    }
  }
  return null;
}

/** Fencing guards the guarded record, and needs a recipe whose token Cassandra orders. */
function fencingConflict(config: Config, known: Known, recipeSlots: [(string | number)[], string][]): string | null {
  const fencingSlots: [(string | number)[], string][] = config.matrix.fencing
    ? config.matrix.fencing.map((v, i): [(string | number)[], string] => [['matrix', 'fencing', i], v])
    : [[['fencing'], config.fencing]];
  const on = fencingSlots.find(([, v]) => v === 'on');
  if (!on) return null;
  if (config.guarded !== 'on') return `${formatPath(on[0])}: "on" needs guarded: on (fencing tokens protect the guarded record)`;
  if (!known.fencedRecipes) return null;
  const unfenced = recipeSlots.find(([, r]) => !known.fencedRecipes!.includes(r));
  if (unfenced) {
    return `${formatPath(unfenced[0])}: ${show(unfenced[1])} has no sound fencing token, so fencing: on is refused for it (recipes with one: ${known.fencedRecipes.join(', ')})`;
  }
  return null;
}

/** Two equal values on one axis would make two cells of one name, judged from one history. */
function duplicateAxisValue(config: Config): string | null {
  for (const axis of AXES) {
    const listed: readonly (string | number)[] = config.matrix[axis] ?? [];
    const firstAt = new Map<string, number>();
    for (const [i, value] of listed.entries()) {
      const key = sameCellKey(axis, value);
      const earlier = firstAt.get(key);
      if (earlier !== undefined) {
        const same = String(listed[earlier]) === String(value) ? 'repeats' : `is the same as ${show(listed[earlier])} at`;
        return `${formatPath(['matrix', axis, i])}: ${show(value)} ${same} ${formatPath(['matrix', axis, earlier])}; each value makes one cell, list it once`;
      }
      firstAt.set(key, i);
    }
  }
  return null;
}

/** Values that give the same cell: `skewed:5ms` and `skewed:+5ms` are one timestamp mode, "4.1" and its newest patch one version. */
function sameCellKey(axis: Axis, value: string | number): string {
  if (axis === 'cassandra_version') return exactVersion(String(value));
  return axis === 'timestamps' ? JSON.stringify(parseTimestampMode(String(value))) : String(value);
}
