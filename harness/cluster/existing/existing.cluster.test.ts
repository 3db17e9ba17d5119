// The existing provider against the local container cluster treated as a cluster lockstorm did
// not start: `lockstorm run` with client-link faults works through its own local Toxiproxy, the
// password never appears, and nothing outside the given keyspace is written. Node faults are
// refused with one line before any cluster work. Run under `flock /tmp/lockstorm-cluster.lock`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster.ts';
import { connectPinned } from '../driver.ts';
import { sharedCluster } from '../../../test/support/clusters.ts';

const SECRET = `pw-${process.pid}-${Date.now()}-Zq9`;
const KEYSPACE = 'lockstorm_existing';
let containers: Cluster;
const dir = mkdtempSync(join(tmpdir(), 'lockstorm-existing-'));

function configText(faults: string): string {
  return `name: existing-local
duration_s: 15
clients: 4
keys: 2
min_ops: 30
recipe: lwt
cluster:
  provider: existing
  contact_points: ["172.29.77.11:9042"]
  local_dc: datacenter1
  auth: { username: lockstorm, password_env: LOCKSTORM_TEST_CQL_PASSWORD }
  keyspace: ${KEYSPACE}
  replication: { class: NetworkTopologyStrategy, datacenter1: 3 }
  allow_writes: true
nemeses:
  mix: { faults: [${faults}], on_s: 3, off_s: 3 }
nemesis: mix
`;
}

function lockstorm(config: string, results: string) {
  const file = join(dir, `${results}.yaml`);
  writeFileSync(file, config);
  return spawnSync('node', ['bin/lockstorm.mjs', 'run', file, '--results', join(dir, results)], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', LOCKSTORM_TEST_CQL_PASSWORD: SECRET },
    timeout: 300_000,
  });
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => join(root, f))
    .filter((f) => statSync(f).isFile());
}

async function tablesIn(keyspace: string): Promise<string[]> {
  const client = await connectPinned(containers, 'n1', { requestTimeoutMs: 10_000 });
  try {
    const rs = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true });
    return rs.rows.map((r) => String(r['table_name'])).sort();
  } finally {
    await client.shutdown();
  }
}

describe('provider: existing, against the local cluster', () => {
  beforeAll(async () => {
    containers = await sharedCluster();
  });

  it('refuses node, partition and clock faults with one line and exit 2, before starting anything', () => {
    const r = lockstorm(configText('reply-lost, kill, partition-isolate, clock-skew'), 'refused');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/nemeses\.mix\.faults: provider existing cannot run kill, partition-isolate, clock-skew \(they need nodes, net, clock; it offers links\)$/),
    ]);
    const proxies = spawnSync('docker', ['ps', '-a', '--filter', 'label=lockstorm.role=local-toxiproxy', '-q'], { encoding: 'utf8' });
    expect(proxies.stdout.trim()).toBe('');
  });

  it('runs a cell under client-link faults through its own proxy, writing only its keyspace, never printing the password', async () => {
    const before = await tablesIn('lockstorm');
    const r = lockstorm(configText('reply-lost, link-down'), 'run');
    expect(r.status, r.stderr).toBe(0);
    const runDir = join(dir, 'run', readdirSync(join(dir, 'run'))[0]!);
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { cells: Array<{ verdict: string; history: string }> };
    expect(results.cells.map((c) => c.verdict)).toEqual(['safe']);
    const history = readFileSync(join(runDir, results.cells[0]!.history), 'utf8');
    expect(history).toMatch(/"fault":"(reply-lost|link-down)"/);
    // The password: not in the output, not in any file of the run.
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    for (const f of filesUnder(runDir)) expect(readFileSync(f, 'utf8'), f).not.toContain(SECRET);
    // Its own keyspace got the recipe's table; the cluster's other keyspace is as it was.
    expect(await tablesIn(KEYSPACE)).toContain('lwt_locks');
    expect(await tablesIn('lockstorm')).toEqual(before);
    // Its local proxy is gone with the run.
    const proxies = spawnSync('docker', ['ps', '-a', '--filter', 'label=lockstorm.role=local-toxiproxy', '-q'], { encoding: 'utf8' });
    expect(proxies.stdout.trim()).toBe('');
  });
});
