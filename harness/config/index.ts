// The one entry point the CLI uses: a config path → validated config, its text, and its cells.
import { configError } from './issues.ts';
import { expandConfig, unknownCellExpectation, type Plan } from './expand.ts';
import { loadConfigFile, parseConfig, type Known } from './load.ts';
import type { Config } from './schema.ts';

export type { Known } from './load.ts';
export type { Plan, PlannedCell } from './expand.ts';

export interface LoadedPlan {
  config: Config;
  /** The file as written, copied verbatim into the results folder. */
  text: string;
  plan: Plan;
}

function finish(config: Config, text: string, source: string): LoadedPlan {
  const plan = expandConfig(config);
  const problem = duplicateCellName(plan) ?? unknownCellExpectation(config, plan);
  if (problem) throw configError(source, problem);
  return { config, text, plan };
}

export async function loadPlan(path: string, known: Known): Promise<LoadedPlan> {
  const { config, text } = await loadConfigFile(path, known);
  return finish(config, text, path);
}

export function planFromText(text: string, source: string, known: Known): LoadedPlan {
  return finish(parseConfig(text, source, known), text, source);
}

/** Each cell's history and verdict live under its name: two cells of one name would share them. */
function duplicateCellName(plan: Plan): string | null {
  const seen = new Set<string>();
  for (const cell of plan.cells) {
    if (seen.has(cell.params.name)) return `matrix: two cells would both be named ${cell.params.name}; make the axis values differ`;
    seen.add(cell.params.name);
  }
  return null;
}
