// Writes a run's three outputs side by side. Each file is written whole to a temporary name and
// renamed, so an interrupted write never leaves a half report where a complete one was.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderReport, type CellReportInput } from './html.ts';
import { renderJunit } from './junit.ts';
import type { RunResults } from './results.ts';

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export function collectResults(name: string, run: string, inputs: readonly CellReportInput[]): RunResults {
  const cells = inputs.map((i) => i.result);
  return { name, run, met: cells.every((c) => c.met), cells };
}

export async function writeReports(dir: string, results: RunResults, inputs: readonly CellReportInput[], now = new Date()): Promise<string> {
  const report = join(dir, 'report.html');
  await writeAtomically(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomically(join(dir, 'junit.xml'), renderJunit(results));
  await writeAtomically(report, renderReport(results, inputs, now.toISOString()));
  return report;
}
