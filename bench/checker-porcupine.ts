// lockstorm's linearizability checker against Porcupine itself, on the same histories (Porcupine's
// own published test data, test/fixtures/porcupine), in one run. Each file is checked by both
// sides in turn, alternating which goes first, so that a noisy shared machine slows both alike;
// each side times its check in-process (parsing excluded on both) and the medians are compared.
//
//   npx tsx bench/checker-porcupine.ts [--reps 7] [--only kv] [--json out.json]
//
// Porcupine runs in its default (parallel) mode in a small Go program (bench/porcupine-go) that
// is built into .cache/ with `go build` when missing or older than its sources.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkOperationsParallel } from '../checkers/linearizability/parallel.ts';
import { loadHistory, type LoadedHistory } from '../checkers/readers/load.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(repo, 'test/fixtures/porcupine');
const goSource = join(repo, 'bench/porcupine-go');
const goBinary = join(repo, '.cache/porcupine-bench');
const TIMEOUT_MS = 60_000;

function fail(message: string): never {
  process.stderr.write(`checker-porcupine: ${message}\n`);
  process.exit(2);
}

let values: { reps: string; only?: string; json?: string };
try {
  ({ values } = parseArgs({ options: { reps: { type: 'string', default: '7' }, only: { type: 'string' }, json: { type: 'string' } } }));
} catch (e) {
  fail((e as Error).message);
}
const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1) fail(`--reps must be a whole number ≥ 1, got ${JSON.stringify(values.reps)}`);

type Group = 'etcd' | 'kv-ok' | 'kv-bad';
interface File {
  path: string;
  group: Group;
  expected: string;
  history: LoadedHistory;
}
interface Sample {
  ms: number;
  cpuMs: number;
  verdict: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function groupOf(path: string): Group {
  if (path.startsWith('jepsen/')) return 'etcd';
  return path.endsWith('-ok.txt') ? 'kv-ok' : 'kv-bad';
}

function newestSource(): number {
  return Math.max(...readdirSync(goSource).map((f) => statSync(join(goSource, f)).mtimeMs));
}

function ensureGoBinary(): void {
  if (existsSync(goBinary) && statSync(goBinary).mtimeMs >= newestSource()) return;
  mkdirSync(dirname(goBinary), { recursive: true });
  process.stderr.write(`building ${goBinary} (go build in bench/porcupine-go)…\n`);
  try {
    execFileSync('go', ['build', '-o', goBinary, '.'], {
      cwd: goSource,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, GOFLAGS: [process.env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' ') },
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(err.code === 'ENOENT' ? 'go is not installed: the Porcupine side needs a Go toolchain' : `go build failed (${err.message.split('\n')[0]})`);
  }
}

/** The Go side: one path per request, one JSON line per answer. */
class Porcupine {
  private readonly child = spawn(goBinary, ['-data', data, '-timeout', `${TIMEOUT_MS}ms`], { stdio: ['pipe', 'pipe', 'inherit'] });
  private readonly waiting: ((line: string) => void)[] = [];
  gomaxprocs = 0;

  constructor() {
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.on('exit', (code) => {
      if (this.waiting.length > 0) fail(`the Porcupine program exited (${code}) with a check outstanding`);
    });
  }

  check(path: string): Promise<Sample> {
    return new Promise((done) => {
      this.waiting.push((line) => {
        const r = JSON.parse(line) as { ms: number; cpuMs: number; verdict?: string; error?: string; gomaxprocs: number };
        if (r.error) fail(`Porcupine side, ${path}: ${r.error}`);
        this.gomaxprocs = r.gomaxprocs;
        done({ ms: r.ms, cpuMs: r.cpuMs, verdict: r.verdict! });
      });
      this.child.stdin.write(`${path}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

async function lockstorm(file: File): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const source = { module: new URL(`../checkers/models/${file.history.modelName}.ts`, import.meta.url).href, exportName: `${file.history.modelName}Model` };
  const r = await checkOperationsParallel(file.history.model, file.history.ops, { timeoutMs: TIMEOUT_MS, source });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, verdict: r.verdict };
}

function readFiles(): File[] {
  const rows = readFileSync(join(data, 'expectations.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  return rows
    .map(([path, , expected]) => ({ path: path!, group: groupOf(path!), expected: expected! }))
    .filter((f) => values.only === undefined || f.path.includes(values.only))
    .map((f) => ({ ...f, history: loadHistory(f.path, readFileSync(join(data, f.path), 'utf8')) }));
}

const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  ensureGoBinary();
  const files = readFiles();
  if (files.length === 0) fail(`--only ${JSON.stringify(values.only)} matches no history`);
  const go = new Porcupine();
  const loadStart = loadavg();
  const roundLoad: number[] = [];
  const samples = new Map<string, { ts: Sample[]; go: Sample[] }>(files.map((f) => [f.path, { ts: [], go: [] }]));
  // Round 0 warms both sides (JIT, page cache) and is not counted.
  for (let round = 0; round <= reps; round++) {
    for (const [i, f] of files.entries()) {
      const tsFirst = (round + i) % 2 === 0;
      const a = tsFirst ? await lockstorm(f) : await go.check(f.path);
      const b = tsFirst ? await go.check(f.path) : await lockstorm(f);
      if (round === 0) continue;
      const s = samples.get(f.path)!;
      s.ts.push(tsFirst ? a : b);
      s.go.push(tsFirst ? b : a);
    }
    if (round > 0) roundLoad.push(loadavg()[0]!);
  }
  go.close();
  const loadEnd = loadavg();

  const rows = files.map((f) => {
    const s = samples.get(f.path)!;
    const verdicts = new Set([...s.ts.map((x) => `ts:${x.verdict}`), ...s.go.map((x) => `go:${x.verdict}`)]);
    const wrong = [...verdicts].filter((v) => v.slice(3) !== f.expected);
    return {
      path: f.path,
      group: f.group,
      ops: f.history.ops.length,
      expected: f.expected,
      wrong,
      ts: median(s.ts.map((x) => x.ms)),
      go: median(s.go.map((x) => x.ms)),
      tsCpu: median(s.ts.map((x) => x.cpuMs)),
      goCpu: median(s.go.map((x) => x.cpuMs)),
    };
  });

  console.log(`lockstorm checker vs Porcupine v1.3.1 (default parallel mode, GOMAXPROCS=${go.gomaxprocs}): ${files.length} histories, medians of ${reps} alternating reps (+1 warm-up), check only (parsing excluded), in-process timing`);
  console.log(`machine: ${cpus().length} CPUs; load average (1/5/15 min) at start ${fmtLoad(loadStart)}, at end ${fmtLoad(loadEnd)}; 1-min load per rep ${Math.min(...roundLoad).toFixed(2)}–${Math.max(...roundLoad).toFixed(2)}`);
  console.log('');
  console.log('per file (ratio = lockstorm / Porcupine; < 1 means lockstorm is faster):');
  console.log(`  ${'path'.padEnd(22)} ${'ops'.padStart(5)} ${'verdict'.padEnd(8)} ${'lockstorm ms'.padStart(12)} ${'Porcupine ms'.padStart(12)} ${'ratio'.padStart(7)}`);
  for (const r of rows) {
    const flag = r.wrong.length ? `  VERDICT MISMATCH ${r.wrong.join(',')} (expected ${r.expected})` : '';
    console.log(`  ${r.path.padEnd(22)} ${String(r.ops).padStart(5)} ${r.expected.padEnd(8)} ${ms(r.ts).padStart(12)} ${ms(r.go).padStart(12)} ${ratio(r.ts, r.go).padStart(7)}${flag}`);
  }

  console.log('');
  console.log('per group (ratio of summed medians; per-file ratios: median, and files where lockstorm is slower):');
  console.log(`  ${'group'.padEnd(7)} ${'files'.padStart(5)} ${'lockstorm ms'.padStart(12)} ${'Porcupine ms'.padStart(12)} ${'ratio'.padStart(7)} ${'CPU ratio'.padStart(9)} ${'per-file median'.padStart(15)} ${'slower'.padStart(7)}`);
  for (const g of ['etcd', 'kv-ok', 'kv-bad'] as Group[]) {
    const gr = rows.filter((r) => r.group === g);
    if (gr.length === 0) continue;
    const sum = (k: 'ts' | 'go' | 'tsCpu' | 'goCpu') => gr.reduce((a, r) => a + r[k], 0);
    const perFile = median(gr.map((r) => r.ts / r.go));
    const slower = gr.filter((r) => r.ts > r.go).length;
    console.log(
      `  ${g.padEnd(7)} ${String(gr.length).padStart(5)} ${ms(sum('ts')).padStart(12)} ${ms(sum('go')).padStart(12)} ${ratio(sum('ts'), sum('go')).padStart(7)} ${ratio(sum('tsCpu'), sum('goCpu')).padStart(9)} ${ratio(perFile, 1).padStart(15)} ${`${slower}/${gr.length}`.padStart(7)}`,
    );
  }

  console.log('');
  console.log('10 slowest files (by the slower side):');
  const slowest = [...rows].sort((a, b) => Math.max(b.ts, b.go) - Math.max(a.ts, a.go)).slice(0, 10);
  for (const r of slowest) {
    console.log(`  ${r.path.padEnd(22)} ${String(r.ops).padStart(5)} ${r.expected.padEnd(8)} ${ms(r.ts).padStart(12)} ${ms(r.go).padStart(12)} ${ratio(r.ts, r.go).padStart(7)}`);
  }
  const mismatches = rows.filter((r) => r.wrong.length > 0).length;
  const worst = Math.max(...slowest.map((r) => r.ts / r.go));
  console.log('');
  console.log(`verdict mismatches: ${mismatches}; worst ratio among the 10 slowest: ${worst.toFixed(2)}×`);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ reps, gomaxprocs: go.gomaxprocs, cpus: cpus().length, loadStart, loadEnd, roundLoad, rows, samples: Object.fromEntries(samples) }, null, 1)}\n`);
  }
  if (mismatches > 0) process.exitCode = 1;
}

await main();
