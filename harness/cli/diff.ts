// `lockstorm diff RUN_A RUN_B [--json]`: the cells whose verdict, expectation result or anomaly
// kinds changed between two runs. Exit 0 when nothing got worse, 1 when a cell that met its
// expectation in A no longer does in B (or is missing from B), 2 on bad input.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { escapeVisible, visibleJson } from '../report/escape.ts';
import type { RunResults } from '../report/results.ts';
import { UserError } from '../core/errors.ts';

// Loaded when the command runs, so `--help` and the other commands do not load the results schema.
type ReadRuns = typeof import('../runs/read-runs.ts');

/** A results folder, or a results.json file itself. */
function loadRun(path: string, { parseRunResults, readRunResults }: ReadRuns): RunResults {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let r: ReturnType<typeof parseRunResults>;
  if (isDir) r = readRunResults(path);
  else {
    try {
      r = parseRunResults(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (!r.ok) throw new UserError(`${isDir ? join(path, 'results.json') : path}: not a lockstorm run: ${r.why}`);
  return r.results;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('cells whose verdict, expectation result or anomaly kinds changed between two runs')
    .argument('<run_a>', 'the earlier results folder (or its results.json)')
    .argument('<run_b>', 'the later results folder (or its results.json)')
    .option('--json', 'one JSON object: {a, b, worse, changes: [{cell, change, a, b, worse}]}')
    .action(async (runA: string, runB: string, o: { json?: boolean }) => {
      const readRuns = await import('../runs/read-runs.ts');
      const { diffRuns, diffText } = await import('../runs/diff.ts');
      const d = diffRuns(loadRun(runA, readRuns), loadRun(runB, readRuns));
      process.stdout.write(o.json ? `${visibleJson(d)}\n` : escapeVisible(diffText(d), { keepLayout: true }));
      process.exitCode = d.worse ? 1 : 0;
    });
}
