// `lockstorm report DIR`: re-check every recorded history of a results folder and rewrite its
// results.json, junit.xml and report.html. Exit codes as for `run`; a cell folder the config does
// not list is named on stderr and makes it 2, since the report cannot speak for it.
import type { Command } from 'commander';
import { escapeVisible } from '../report/escape.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('rebuild results.json, junit.xml and report.html of a results folder from its histories')
    .argument('<dir>', 'a results folder, e.g. results/20260101-030000-nightly')
    .action(async (dir: string) => {
      // Loaded only now, so `--help` and the other commands do not load the config schema or the checkers.
      const { loadRunDir, recheckRunDir, unlistedCells } = await import('../report/rebuild.ts');
      const { knownNames } = await import('../config/known.ts');
      const { cellHistoryPath, exitCodeFor } = await import('../report/results.ts');
      const { refuseBadTargets, writeReports } = await import('../report/write.ts');
      // Before the (long) re-check: outputs that could not or must not be written end it at once.
      const { plan } = await loadRunDir(dir, knownNames());
      await refuseBadTargets(dir, plan.cells.map((c) => cellHistoryPath(c.params.name)));
      const unlisted = await unlistedCells(dir, knownNames());
      for (const line of unlisted) console.error(`lockstorm: ${escapeVisible(line)}`);
      const { results, inputs } = await recheckRunDir(dir, knownNames());
      const report = await writeReports(dir, results, inputs);
      const met = results.cells.filter((c) => c.met).length;
      process.stdout.write(`${met} of ${results.cells.length} expectations met\nreport: ${escapeVisible(report)}\n`);
      process.exitCode = Math.max(exitCodeFor(results), unlisted.length ? 2 : 0);
    });
}
