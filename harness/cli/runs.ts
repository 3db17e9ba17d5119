// `lockstorm runs [DIR]`: every run in a results folder as a table on stdout, and DIR/index.html,
// one page with every run, each cell's verdicts across runs and anomalies over time. Folders
// that are not runs are named on stderr, one line each, and skipped.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { escapeVisible } from '../report/escape.ts';
import type { RunEntry } from '../runs/read-runs.ts';
import { UserError } from '../core/errors.ts';

// Loaded when the command runs, so `--help` and the other commands do not load the results schema.
type ReadRuns = typeof import('../runs/read-runs.ts');

export function runsTable(runs: readonly RunEntry[], { formatDate, formatDuration, tally }: ReadRuns): string {
  const rows = runs.map((r) => {
    const t = tally(r.results);
    return [formatDate(r.date), r.results.name, String(t.met), String(t.broken), String(t.unknown), formatDuration(r.durationS)];
  });
  const head = ['date', 'config', 'met', 'broken', 'unknown', 'duration'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].map((l) => `${escapeVisible(l)}\n`).join('');
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list every run of a results folder and write its index.html')
    .argument('[dir]', 'a folder of results folders', 'results')
    .action(async (dir: string) => {
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch (e) {
        throw new UserError(`${dir}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (!isDir) throw new UserError(`${dir}: not a folder (expected a folder of results folders, e.g. results/)`);
      const readRuns = await import('../runs/read-runs.ts');
      const { writeFileAtomically } = await import('../report/write.ts');
      const { renderRunsIndex } = await import('../runs/index-html.ts');
      const { runs, skipped } = readRuns.readRuns(dir);
      for (const s of skipped) console.error(`lockstorm: skipping ${escapeVisible(join(dir, s.folder))}: not a lockstorm run: ${escapeVisible(s.why)}`);
      process.stdout.write(runsTable(runs, readRuns));
      const index = join(dir, 'index.html');
      await writeFileAtomically(index, renderRunsIndex(runs, new Date().toISOString()));
      process.stdout.write(`${runs.length} run${runs.length === 1 ? '' : 's'}; index: ${escapeVisible(index)}\n`);
    });
}
