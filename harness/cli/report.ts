// `lockstorm report DIR`: re-check every recorded history of a results folder and rewrite its
// results.json, junit.xml and report.html. Exit codes as for `run`.
import type { Command } from 'commander';
import { knownNames } from '../config/known.ts';
import { exitCodeFor } from '../report/results.ts';
import { writeReports } from '../report/write.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('rebuild results.json, junit.xml and report.html of a results folder from its histories')
    .argument('<dir>', 'a results folder, e.g. results/20260101-030000-nightly')
    .action(async (dir: string) => {
      const { recheckRunDir } = await import('../report/rebuild.ts');
      const { results, inputs } = await recheckRunDir(dir, knownNames());
      const report = await writeReports(dir, results, inputs);
      const met = results.cells.filter((c) => c.met).length;
      process.stdout.write(`${met} of ${results.cells.length} expectations met\nreport: ${report}\n`);
      process.exitCode = exitCodeFor(results);
    });
}
