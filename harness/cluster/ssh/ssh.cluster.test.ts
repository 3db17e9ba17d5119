// The ssh provider on the SSH lab (configs/ssh-lab.yaml's cluster section, the shipped one): every
// fault family applied once through SSH alone, its effect seen from a client or from the node, and
// healAll's strict check afterwards. One lab for the whole file. Run under
// `flock /tmp/lockstorm-cluster.lock`.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.ts';
import { knownNames } from '../../config/known.ts';
import { healAll } from '../../nemesis/index.ts';
import { clockFamily } from '../../nemesis/clock.ts';
import { nodeFamily } from '../../nemesis/node.ts';
import { partitionFamily } from '../../nemesis/partition.ts';
import { connectPinned } from '../driver.ts';
import { ownCluster } from '../../../test/support/clusters.ts';
import { PROVIDER_CAPABILITIES } from '../provider-config.ts';
import { cqlProblem } from '../cql-health.ts';
import type { SshCluster } from './ssh-cluster.ts';

const config = parseConfig(readFileSync('configs/ssh-lab.yaml', 'utf8'), 'configs/ssh-lab.yaml', knownNames());
let cluster: SshCluster;

/** The node's JVM clock (Cassandra's now()) minus this machine's, in ms. */
async function jvmSkewMs(node: string): Promise<number> {
  const client = await connectPinned(cluster, node, { requestTimeoutMs: 5000 });
  try {
    const before = Date.now();
    const rs = await client.execute('SELECT toUnixTimestamp(now()) AS t FROM system.local');
    const after = Date.now();
    return Number(rs.first().get('t')) - (before + after) / 2;
  } finally {
    await client.shutdown();
  }
}

describe('ssh provider on the SSH lab', () => {
  beforeAll(async () => {
    cluster = (await ownCluster({}, { provider: 'ssh', cluster: config.cluster })) as SshCluster;
  });
  afterAll(async () => {
    await cluster?.teardown();
  });

  it('offers every capability its config check promises', () => {
    expect(Object.keys(cluster.capabilities).sort()).toEqual([...PROVIDER_CAPABILITIES.ssh].sort());
    expect(cluster.serverVersion?.reported).toEqual({ n1: expect.stringMatching(/^5\.0\./), n2: expect.stringMatching(/^5\.0\./), n3: expect.stringMatching(/^5\.0\./) });
  });

  it('kills a node with SIGKILL and brings it back with the start command', async () => {
    await cluster.kill('n2');
    expect(await cluster.running('n2')).toBe(false);
    expect(await cqlProblem(cluster, 'n2')).toBeDefined();
    await cluster.restart('n2');
    expect(await cluster.running('n2')).toBe(true);
    await cluster.waitHealthy(240_000);
  });

  it('freezes a node with SIGSTOP: it answers nothing until SIGCONT', async () => {
    await cluster.pause('n3');
    expect(await cluster.running('n3')).toBe(false);
    expect(await nodeFamily.problems(cluster)).toEqual(['n3: container is not running (or still frozen)']);
    expect(await cqlProblem(cluster, 'n3', 2000)).toBeDefined();
    await cluster.resume('n3');
    expect(await cluster.running('n3')).toBe(true);
    expect(await cqlProblem(cluster, 'n3')).toBeUndefined();
  });

  it("cuts a node off with iptables in lockstorm's own chain, and heal removes the chain", async () => {
    const net = cluster.capabilities.net!;
    await net.partition('n1', ['n2', 'n3']);
    const cuts = await net.cuts('n1');
    expect(cuts.filter((c) => c.startsWith('-A lockstorm -s 172.29.77.1'))).toHaveLength(2);
    expect(cuts).toContain('INPUT jumps to lockstorm');
    await net.heal('n1');
    expect(await net.cuts('n1')).toEqual([]);
    expect(await partitionFamily.problems(cluster)).toEqual([]);
  });

  it("moves the Cassandra JVM's clock through libfaketime, not the host's", async () => {
    const clock = cluster.capabilities.clock!;
    await clock.setOffsets(new Map([['n2', 30_000]]));
    try {
      expect(await clock.offset('n2')).toBe(30_000);
      // setOffsets returns once libfaketime has re-read the file: the first look sees the skew.
      expect(Math.abs((await jvmSkewMs('n2')) - 30_000)).toBeLessThan(3_000);
      // The host (here: the node's container) keeps real time: `date` over SSH is not moved.
      const hostSeconds = Number((await cluster.session('n2').ok(['date', '+%s'])).trim());
      expect(Math.abs(hostSeconds * 1000 - Date.now())).toBeLessThan(3_000);
    } finally {
      // Back to 0: the file says so. (now() cannot show the way back: Cassandra never issues a
      // timeuuid older than one it issued, so after +30 s it keeps counting from there.)
      await clock.setOffsets(new Map([['n2', 0]]));
    }
    expect(await clock.offset('n2')).toBe(0);
  });

  it('cuts client links at the local Toxiproxy', async () => {
    const links = cluster.capabilities.links!;
    await links.setEnabled('n1', false);
    expect(await cqlProblem(cluster, 'n1', 2000)).toBeDefined();
    await links.reset();
    expect(await cqlProblem(cluster, 'n1')).toBeUndefined();
  });

  it('heals everything left behind, and its check sees what is left until then', async () => {
    await cluster.capabilities.net!.partition('n2', ['n3']);
    await cluster.capabilities.clock!.setOffsets(new Map([['n3', -4_000]]));
    await cluster.pause('n1');
    expect(await partitionFamily.problems(cluster)).toHaveLength(1);
    expect(await clockFamily.problems(cluster)).toEqual(['n3: clock offset is -4000 ms, not 0']);
    await expect(healAll(cluster, 240_000)).resolves.toBeUndefined();
    for (const family of [nodeFamily, partitionFamily, clockFamily]) expect(await family.problems(cluster)).toEqual([]);
  });
});
