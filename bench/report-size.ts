// How long `lockstorm report` takes, and how much memory it peaks at, on one cell of a generated
// history of N operations, in a child process with a 1 GB heap as a small CI runner has.
//
//   npx tsx bench/report-size.ts [--ops 150000,1000000] [--heap-mb 1024]

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generatedResultsDir } from '../harness/report/results-dir.fixture.ts';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '150000,1000000' }, 'heap-mb': { type: 'string', default: '1024' } } });
const bin = resolve(import.meta.dirname, '../bin/lockstorm.mjs');

for (const ops of values.ops.split(',').map(Number)) {
  const { dir, invocations } = generatedResultsDir(ops);
  // The child reports its own peak resident set size when it exits.
  const child = [
    `process.on('exit', () => process.stderr.write('maxrss_kb=' + process.resourceUsage().maxRSS + '\\n'));`,
    `process.argv = [process.argv[0], ${JSON.stringify(bin)}, 'report', ${JSON.stringify(dir)}];`,
    `await import(${JSON.stringify(pathToFileURL(bin).href)});`,
  ].join('\n');
  const started = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${values['heap-mb']}`, '--input-type=module', '-e', child], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr)?.[1];
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('lockstorm:'));
  let note = '(no report)';
  try {
    note = /Summarised: ([^<]+)/.exec(readFileSync(join(dir, 'report.html'), 'utf8'))?.[1] ?? '(nothing summarised)';
  } catch {
    // no report.html: the exit code and error line say why
  }
  console.log(`${invocations} operations: exit ${r.status}, ${seconds.toFixed(1)} s, peak RSS ${rss ? `${Math.round(Number(rss) / 1024)} MB` : '?'}`);
  for (const e of errors) console.log(`  ${e}`);
  console.log(`  ${note}`);
  rmSync(dir, { recursive: true, force: true });
}
