import type { Command } from 'commander';
import { registerCheck } from './check.ts';
import { registerClean } from './clean.ts';
import { registerExport } from './export.ts';
import { registerRuns } from './runs.ts';
import { registerDiff } from './diff.ts';
import { registerCluster } from './cluster.ts';
import { registerNemesis } from './nemesis.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerSetup } from './setup.ts';

// Each subcommand lives in its own module beside this one; this file only lists them.
export function registerCommands(program: Command): void {
  registerRun(program);
  registerReport(program);
  registerNemesis(program);
  registerCheck(program);
  registerCluster(program);
  registerClean(program);
  registerSetup(program);
  registerExport(program);
  registerRuns(program);
  registerDiff(program);
}
