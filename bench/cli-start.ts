// How long the CLI takes as a whole process: `--help`, and `check` of one small recorded history,
// through `node bin/lockstorm.mjs` and through `npx lockstorm`, from dist/ (compiled) and from the
// TypeScript sources (tsx), with bare `node -e 0` as the floor this machine sets. The cases take
// turns, so a change in the machine's load falls on all of them alike. Prints medians.
//
//   npx tsx bench/cli-start.ts [--runs 15] [--history test/fixtures/lwt-no-ttl-reply-lost.jsonl] [--compare DIR] [--json FILE]
//
// --compare DIR also runs the `node bin/lockstorm.mjs` cases of another checkout (an older commit,
// with node_modules), interleaved with these, so both see the same machine load.
// --json FILE also writes the medians there (bench/goals.ts reads them).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { distIsCurrent } from '../bin/dist-current.mjs';

const here = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    history: { type: 'string', default: 'test/fixtures/lwt-no-ttl-reply-lost.jsonl' },
    compare: { type: 'string' },
    json: { type: 'string' },
  },
});
const runs = Number(values.runs);
const root = here;
const other = values.compare === undefined ? undefined : resolve(values.compare);
const history = resolve(here, values.history);
const small = basename(history);

interface Case {
  name: string;
  cmd: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Exit codes that mean the command did its job (check: 0 ok, 1 anomalies, 3 unknown). */
  codes: number[];
}

const fromSource = { LOCKSTORM_FROM_SOURCE: '1' };
const floorName = 'node -e 0 (floor)';
const helpName = 'node bin/lockstorm.mjs --help';
const checkName = `node bin/lockstorm.mjs check ${small}`;
const cli = ['node', 'bin/lockstorm.mjs'];
const npx = ['npx', '--no-install', 'lockstorm'];
const checkCodes = [0, 1, 3];
const cases: Case[] = [
  { name: floorName, cmd: ['node', '-e', '0'], codes: [0] },
  { name: helpName, cmd: [...cli, '--help'], codes: [0] },
  { name: checkName, cmd: [...cli, 'check', history], codes: checkCodes },
  { name: 'npx lockstorm --help', cmd: [...npx, '--help'], codes: [0] },
  { name: `npx lockstorm check ${small}`, cmd: [...npx, 'check', history], codes: checkCodes },
  { name: 'node bin/lockstorm.mjs --help (sources, tsx)', cmd: [...cli, '--help'], env: fromSource, codes: [0] },
  { name: `node bin/lockstorm.mjs check ${small} (sources, tsx)`, cmd: [...cli, 'check', history], env: fromSource, codes: checkCodes },
];
if (other) {
  cases.push(
    { name: `[${basename(other)}] node bin/lockstorm.mjs --help`, cmd: [...cli, '--help'], cwd: other, codes: [0] },
    { name: `[${basename(other)}] node bin/lockstorm.mjs check ${small}`, cmd: [...cli, 'check', history], cwd: other, codes: checkCodes },
  );
}

const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const started = performance.now();
    const r = spawnSync(c.cmd[0]!, c.cmd.slice(1), { cwd: c.cwd ?? root, env: { ...process.env, ...c.env }, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (r.status === null || !c.codes.includes(r.status)) {
      console.error(`${c.name}: exit ${r.status ?? r.signal}\n${r.stderr}`);
      process.exit(1);
    }
    times.get(c.name)!.push(ms);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
console.log(`dist/ ${distIsCurrent() ? 'is current: the non-tsx cases ran compiled JavaScript' : 'is missing or stale: every case ran the sources through tsx (run `npm run build`)'}`);
console.log(`${runs} runs each, cases interleaved; wall-clock ms of the whole process`);
const width = Math.max(...cases.map((c) => c.name.length));
for (const c of cases) {
  const xs = times.get(c.name)!;
  console.log(`  ${c.name.padEnd(width)}  median ${median(xs).toFixed(0).padStart(5)}  min ${Math.min(...xs).toFixed(0).padStart(5)}`);
}
if (values.json) {
  const med = (name: string): number => Math.round(median(times.get(name)!));
  const figures = {
    measured_at: new Date().toISOString(),
    runs,
    load: loadavg(),
    dist_current: distIsCurrent(),
    history: values.history,
    floor_ms: med(floorName),
    help_ms: med(helpName),
    check_ms: med(checkName),
    medians_ms: Object.fromEntries(cases.map((c) => [c.name, Math.round(median(times.get(c.name)!))])),
  };
  writeFileSync(values.json, `${JSON.stringify(figures, null, 1)}\n`);
}
