// Time from `cluster up` (startCluster) to "three nodes UN and CQL answers through every proxy",
// cold (lockstorm images absent: debootstrap, Maven and go install caches on the host are kept)
// and warm (images present), as medians over several runs.
//
//   flock /tmp/lockstorm-cluster.lock npx tsx bench/cluster-startup.ts [--version 4.1] [--cold 2] [--warm 3]
//
// --version: a Cassandra line or release (harness/cluster/versions.ts), default 5.0. Cold runs
// remove that version's images first (its Cassandra image, its base, and Toxiproxy); run them
// only when no other lockstorm process needs those images.

import { parseArgs } from 'node:util';
import { startCluster } from '../harness/cluster/index.ts';
import { run } from '../harness/cluster/containers/command.ts';
import { ensureEngine } from '../harness/cluster/containers/engine.ts';
import { imagesFor } from '../harness/cluster/containers/images.ts';
import { DEFAULT_VERSION, exactVersion, versionProblem } from '../harness/cluster/versions.ts';

const { values } = parseArgs({
  options: {
    cold: { type: 'string', default: '2' },
    warm: { type: 'string', default: '3' },
    version: { type: 'string', default: DEFAULT_VERSION },
  },
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const version = values.version;
const problem = versionProblem(version);
if (problem) {
  process.stderr.write(`lockstorm: --version ${JSON.stringify(version)} ${problem}\n`);
  process.exit(2);
}

async function removeImages(): Promise<void> {
  const images = imagesFor(version);
  await run('docker', ['rmi', images.cassandra, images.toxiproxy]);
  // A base named by LOCKSTORM_BASE_IMAGE* is the user's, not ours to remove.
  for (const base of new Set([images.cassandraBase, images.toxiproxyBase])) {
    if (base.startsWith('lockstorm/base:')) await run('docker', ['rmi', base]);
  }
}

/** Seconds per start phase (as the provider names them), per kind, one entry per run. */
const phases: Record<'cold' | 'warm', Map<string, number[]>> = { cold: new Map(), warm: new Map() };

async function timeOneStart(kind: 'cold' | 'warm'): Promise<number> {
  const t0 = performance.now();
  let phasesMs = 0;
  const onPhase = (name: string, ms: number): void => {
    phasesMs += ms;
    const list = phases[kind].get(name) ?? [];
    list.push(ms / 1000);
    phases[kind].set(name, list);
  };
  const cluster = await startCluster({ cassandraVersion: version }, { verbose: true, onPhase });
  const seconds = (performance.now() - t0) / 1000;
  // What startCluster does after the provider's start: every node's release_version.
  onPhase('release check', seconds * 1000 - phasesMs);
  await cluster.teardown();
  return seconds;
}

await ensureEngine();
const results: Record<'cold' | 'warm', number[]> = { cold: [], warm: [] };
for (const kind of ['cold', 'warm'] as const) {
  const runs = Number(values[kind]);
  for (let i = 0; i < runs; i++) {
    if (kind === 'cold') await removeImages();
    const s = await timeOneStart(kind);
    results[kind].push(s);
    process.stderr.write(`${kind} run ${i + 1}/${runs}: ${s.toFixed(1)} s\n`);
  }
}
for (const kind of ['cold', 'warm'] as const) {
  const xs = results[kind];
  if (xs.length === 0) continue;
  process.stdout.write(`Cassandra ${exactVersion(version)} ${kind}: median ${median(xs).toFixed(1)} s over ${xs.length} runs (${xs.map((x) => x.toFixed(1)).join(', ')})\n`);
  for (const [name, ys] of phases[kind]) {
    process.stdout.write(`  ${name.padEnd(42)} median ${median(ys).toFixed(1)} s (${ys.map((y) => y.toFixed(1)).join(', ')})\n`);
  }
}
