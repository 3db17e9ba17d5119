// How long `lockstorm report` takes, how much memory it peaks at and how large a page it writes,
// in a child process with a 1 GB heap as a small CI runner has:
//
// - on one cell of a generated history of N operations (--ops), and
// - on a nightly-sized folder (--nightly-from DIR): every cell of configs/nightly.yaml (48) filled
//   with the recorded histories of an earlier results folder, in turn, so the page holds real
//   fault windows, latencies and anomalies at the nightly's scale without running the nightly.
//   Prints what the page's bytes are made of.
//
//   npx tsx bench/report-size.ts [--ops 150000,1000000] [--heap-mb 1024]
//   npx tsx bench/report-size.ts --ops '' --nightly-from results/20261202-015846-versions [--config configs/nightly.yaml]

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { planFromText } from '../harness/config/index.ts';
import { knownNames } from '../harness/config/known.ts';
import { cellHistoryPath } from '../harness/report/results.ts';
import { generatedResultsDir } from '../harness/report/results-dir.fixture.ts';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '150000,1000000' },
    'heap-mb': { type: 'string', default: '1024' },
    'nightly-from': { type: 'string' },
    config: { type: 'string', default: 'configs/nightly.yaml' },
    // Another checkout's CLI (an older commit, to compare) on the same inputs.
    cli: { type: 'string' },
  },
});
const root = resolve(import.meta.dirname, '..');
const bin = join(values.cli === undefined ? root : resolve(values.cli), 'bin/lockstorm.mjs');

/**
 * `lockstorm report DIR` in a child with a capped heap: exit code, wall seconds, CPU seconds (user +
 * system: on a shared machine a steadier measure than the wall clock), peak RSS (MB), error lines.
 */
function report(dir: string): { status: number | null; seconds: number; cpuSeconds: number | null; rssMb: number | null; errors: string[] } {
  // The child reports its own peak resident set size and CPU time when it exits.
  const child = [
    `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('maxrss_kb=' + u.maxRSS + ' cpu_us=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });`,
    `process.argv = [process.argv[0], ${JSON.stringify(bin)}, 'report', ${JSON.stringify(dir)}];`,
    `await import(${JSON.stringify(pathToFileURL(bin).href)});`,
  ].join('\n');
  const started = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${values['heap-mb']}`, '--input-type=module', '-e', child], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr)?.[1];
  const cpu = /cpu_us=(\d+)/.exec(r.stderr)?.[1];
  return { status: r.status, seconds, cpuSeconds: cpu ? Number(cpu) / 1e6 : null, rssMb: rss ? Math.round(Number(rss) / 1024) : null, errors: r.stderr.split('\n').filter((l) => l.startsWith('lockstorm:')) };
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

for (const ops of values.ops.split(',').filter(Boolean).map(Number)) {
  const { dir, invocations } = generatedResultsDir(ops);
  const r = report(dir);
  let note = '(no report)';
  let size = 0;
  try {
    note = /Summarised: ([^<]+)/.exec(readFileSync(join(dir, 'report.html'), 'utf8'))?.[1] ?? '(nothing summarised)';
    size = statSync(join(dir, 'report.html')).size;
  } catch {
    // no report.html: the exit code and error line say why
  }
  console.log(`${invocations} operations: exit ${r.status}, ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds?.toFixed(1) ?? '?'} s), peak RSS ${r.rssMb ?? '?'} MB, report.html ${mb(size)}`);
  for (const e of r.errors) console.log(`  ${e}`);
  console.log(`  ${note}`);
  rmSync(dir, { recursive: true, force: true });
}

if (values['nightly-from']) {
  const from = resolve(values['nightly-from']);
  const histories = readdirSync(join(from, 'cells'))
    .map((c) => join(from, 'cells', c, 'history.jsonl'))
    .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile())
    .sort();
  if (!histories.length) throw new Error(`${from}: no cells/*/history.jsonl`);
  const configPath = resolve(root, values.config);
  const configText = readFileSync(configPath, 'utf8');
  const { plan } = planFromText(configText, configPath, knownNames());
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-nightly-size-'));
  copyFileSync(configPath, join(dir, 'config.yaml'));
  let historyBytes = 0;
  plan.cells.forEach((cell, i) => {
    const to = join(dir, cellHistoryPath(cell.params.name));
    mkdirSync(resolve(to, '..'), { recursive: true });
    copyFileSync(histories[i % histories.length]!, to);
    historyBytes += statSync(to).size;
  });
  const r = report(dir);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  console.log(`${plan.cells.length} cells (histories from ${histories.length} cells of ${from}, ${mb(historyBytes)} of history): exit ${r.status}, ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds?.toFixed(1) ?? '?'} s), peak RSS ${r.rssMb ?? '?'} MB`);
  for (const e of r.errors) console.log(`  ${e}`);
  console.log(`  report.html ${mb(Buffer.byteLength(html))}`);
  for (const [part, bytes] of composition(html)) console.log(`    ${part.padEnd(34)} ${mb(bytes)}`);
  rmSync(dir, { recursive: true, force: true });
}

/** Bytes of the page by part: the charts, the witness timelines, the anomaly lists, the search views. */
function composition(html: string): [string, number][] {
  const sum = (re: RegExp): number => [...html.matchAll(re)].reduce((n, m) => n + m[0].length, 0);
  const parts: [string, number][] = [
    ['latency charts', sum(/<svg[^>]*aria-label="latency over time"[\s\S]*?<\/svg>/g)],
    ['throughput charts', sum(/<svg[^>]*aria-label="throughput over time"[\s\S]*?<\/svg>/g)],
    ['witness timelines', sum(/<svg[^>]*aria-label="witness of[\s\S]*?<\/svg>/g)],
    ['witness operation lists', sum(/<ol class="witness-ops">[\s\S]*?<\/ol>/g)],
    ['anomalies listed one line each', sum(/<ul class="more-anomalies">[\s\S]*?<\/ul>/g)],
    ['linearizability views', sum(/<details class="linearizability"[\s\S]*?<\/details>/g)],
  ];
  const counted = parts.reduce((n, [, b]) => n + b, 0);
  return [...parts, ['everything else', Buffer.byteLength(html) - counted]];
}
