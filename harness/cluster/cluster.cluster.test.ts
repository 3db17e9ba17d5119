// Acceptance of the cluster layer on a real three-node Cassandra 5.0 cluster behind a real
// Toxiproxy: QUORUM traffic through every proxy, LWT, a cut client link, the proof that a disabled
// proxy leaves no other path to its node, and a teardown that leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tcpConnect } from 'node:net';
import type cassandra from 'cassandra-driver';
import { cleanAll, connectAll, connectPinned, type LinkControl, type NodeControl, type NodeName } from './index.ts';
import { LABEL, nodeSpec } from './containers/layout.ts';
import { docker } from './containers/runtime.ts';
import type { ContainerCluster } from './containers/container-cluster.ts';
import { clusterRingProblems } from './ring-health.ts';
import { ownCluster } from '../../test/support/clusters.ts';

const NODE_NAMES: NodeName[] = ['n1', 'n2', 'n3'];
/** The containers provider's cluster: `exec` (probes) is container-only, the rest goes through capabilities. */
let cluster: ContainerCluster;
let toxiproxy: LinkControl;
let nodes: NodeControl;

async function withClient<T>(client: cassandra.Client, f: (c: cassandra.Client) => Promise<T>): Promise<T> {
  try {
    return await f(client);
  } finally {
    await client.shutdown();
  }
}

async function eventually(f: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Counts TCP SYNs that reach a node's CQL port, with a rule in the node's own netfilter. */
const probe = {
  async install(node: NodeName): Promise<void> {
    await cluster.exec(node, ['sh', '-c', 'iptables -N CQLPROBE && iptables -A CQLPROBE -j RETURN && iptables -I INPUT -p tcp --dport 9042 --syn -j CQLPROBE']);
  },
  async count(node: NodeName): Promise<number> {
    const out = await cluster.exec(node, ['iptables', '-nvxL', 'CQLPROBE']);
    const rule = out.split('\n').find((l) => /\sRETURN\s/.test(l));
    if (!rule) throw new Error(`no CQLPROBE rule on ${node}:\n${out}`);
    return Number(rule.trim().split(/\s+/)[0]);
  },
  async remove(node: NodeName): Promise<void> {
    await cluster.exec(node, ['sh', '-c', 'iptables -D INPUT -p tcp --dport 9042 --syn -j CQLPROBE; iptables -F CQLPROBE; iptables -X CQLPROBE']);
  },
};

beforeAll(async () => {
  cluster = (await ownCluster()) as ContainerCluster;
  expect(cluster.provider).toBe('containers');
  ({ links: toxiproxy, nodes } = cluster.capabilities);
  await withClient(await connectAll(cluster, { keyspace: cluster.keyspace }), (c) =>
    c.execute('CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text)'),
  );
});

afterAll(async () => {
  // Only reached with a cluster still up when a test failed before the teardown test.
  await cluster?.teardown();
});

describe('three-node Cassandra 5.0 cluster behind Toxiproxy', () => {
  it('starts three nodes at their fixed addresses, all UN, each behind its own proxy', async () => {
    expect(cluster.nodes.map((n) => [n.name, n.address])).toEqual(NODE_NAMES.map((n) => [n, nodeSpec(n).address]));
    const proxies = await toxiproxy.states();
    expect(proxies.map((p) => [p.name, p.upstream, p.enabled, p.toxics])).toEqual(NODE_NAMES.map((n) => [n, `${nodeSpec(n).address}:9042`, true, []]));
    const ring = await cluster.exec('n1', ['nodetool', 'status']);
    for (const n of cluster.nodes) expect(ring).toMatch(new RegExp(`^UN\\s+${n.address.replaceAll('.', '\\.')}\\s`, 'm'));
  });

  it('writes and reads at QUORUM through each proxy', async () => {
    for (const [i, writer] of NODE_NAMES.entries()) {
      const reader = NODE_NAMES[(i + 1) % NODE_NAMES.length]!;
      const value = `written via ${writer} at ${Date.now()}`;
      await withClient(await connectPinned(cluster, writer, { keyspace: cluster.keyspace }), (c) =>
        c.execute('INSERT INTO kv (k, v) VALUES (?, ?)', [`quorum-${writer}`, value], { prepare: true }),
      );
      const rs = await withClient(await connectPinned(cluster, reader, { keyspace: cluster.keyspace }), (c) =>
        c.execute('SELECT v FROM kv WHERE k = ?', [`quorum-${writer}`], { prepare: true }),
      );
      expect(rs.info.queriedHost).toBe(cluster.proxies.find((p) => p.name === reader)!.listen);
      expect(rs.first()?.get('v')).toBe(value);
    }
  });

  it('applies an LWT once: IF NOT EXISTS says [applied] true, then false with the winner', async () => {
    const key = `lwt-${Date.now()}`;
    const first = await withClient(await connectPinned(cluster, 'n1', { keyspace: cluster.keyspace }), (c) =>
      c.execute('INSERT INTO kv (k, v) VALUES (?, ?) IF NOT EXISTS', [key, 'first'], { prepare: true }),
    );
    expect(first.wasApplied()).toBe(true);
    expect(first.first()?.get('[applied]')).toBe(true);
    const second = await withClient(await connectPinned(cluster, 'n3', { keyspace: cluster.keyspace }), (c) =>
      c.execute('INSERT INTO kv (k, v) VALUES (?, ?) IF NOT EXISTS', [key, 'second'], { prepare: true }),
    );
    expect(second.wasApplied()).toBe(false);
    expect(second.first()?.get('v')).toBe('first');
  });

  it('a cut client link makes only that client time out; healing restores it', async () => {
    const clients = new Map<NodeName, cassandra.Client>();
    for (const n of NODE_NAMES) clients.set(n, await connectPinned(cluster, n, { keyspace: cluster.keyspace, requestTimeoutMs: 3000 }));
    const write = (n: NodeName) =>
      clients.get(n)!.execute('INSERT INTO kv (k, v) VALUES (?, ?)', [`cut-${n}`, String(Date.now())], { prepare: true });
    try {
      for (const n of NODE_NAMES) await write(n); // prepared and connected before the cut
      for (const stream of ['upstream', 'downstream'] as const) {
        await toxiproxy.addToxic('n1', { name: `cut-${stream}`, type: 'timeout', stream, attributes: { timeout: 0 } });
      }
      const err = await write('n1').then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.name).toMatch(/^(OperationTimedOutError|NoHostAvailableError)$/);
      await write('n2');
      await write('n3');

      for (const stream of ['upstream', 'downstream'] as const) await toxiproxy.removeToxic('n1', `cut-${stream}`);
      await eventually(async () => void (await write('n1')), 30_000);
    } finally {
      await Promise.all([...clients.values()].map((c) => c.shutdown()));
      await toxiproxy.reset();
    }
  });

  it('with a proxy disabled, no request reaches its node by another path', async () => {
    await probe.install('n2');
    try {
      // Control 1: the probe counts connections that reach n2 directly, so a driver that bypassed
      // the proxies (n2's own address is routable from here) would be seen.
      const before = await probe.count('n2');
      await new Promise<void>((resolve, reject) => {
        const s = tcpConnect({ host: nodeSpec('n2').address, port: 9042, timeout: 5000 }, () => (s.destroy(), resolve()));
        s.on('error', reject).on('timeout', () => (s.destroy(), reject(new Error('direct connect timed out'))));
      });
      await eventually(async () => expect(await probe.count('n2')).toBe(before + 1), 5000);

      await toxiproxy.setEnabled('n2', false);
      const baseline = await probe.count('n2');
      // Clients that learn about n2 from system.peers: one may use every node, two are pinned.
      const everyone = await connectAll(cluster, { keyspace: cluster.keyspace });
      const pinned = await Promise.all((['n1', 'n3'] as const).map((n) => connectPinned(cluster, n, { keyspace: cluster.keyspace })));
      try {
        for (const c of [everyone, ...pinned]) {
          for (let i = 0; i < 10; i++) {
            await c.execute('INSERT INTO kv (k, v) VALUES (?, ?)', [`disabled-${i}`, 'x'], { prepare: true });
            await c.execute('SELECT v FROM kv WHERE k = ?', [`disabled-${i}`], { prepare: true });
          }
          await c.execute('INSERT INTO kv (k, v) VALUES (?, ?) IF NOT EXISTS', [`disabled-lwt-${Date.now()}`, 'x'], { prepare: true });
        }
        expect(everyone.getState().getConnectedHosts().map((h) => h.address).sort()).toEqual(
          cluster.proxies.filter((p) => p.name !== 'n2').map((p) => p.listen).sort(),
        );
        // Give the driver's reconnection attempts (every second) time to try n2 some other way.
        await new Promise((r) => setTimeout(r, 3000));
        expect(await probe.count('n2')).toBe(baseline);
      } finally {
        await Promise.all([everyone, ...pinned].map((c) => c.shutdown()));
      }

      // Control 2: once enabled, the proxy path does reach n2, and every CQL client n2 sees is
      // Toxiproxy itself.
      await toxiproxy.setEnabled('n2', true);
      const clients = await withClient(await connectPinned(cluster, 'n2'), (c) => c.execute('SELECT address FROM system_views.clients'));
      expect(await probe.count('n2')).toBeGreaterThan(baseline);
      expect(new Set(clients.rows.map((r) => String(r.get('address'))))).toEqual(new Set(['172.29.77.10']));
    } finally {
      await toxiproxy.reset();
      await probe.remove('n2');
    }
  });

  it('pauses, resumes, kills and restarts a node, which comes back at its fixed address', async () => {
    const read = (c: cassandra.Client) => c.execute('SELECT v FROM kv WHERE k = ?', ['quorum-n1'], { prepare: true });
    const client = await connectPinned(cluster, 'n3', { keyspace: cluster.keyspace, requestTimeoutMs: 3000 });
    try {
      await read(client);
      await nodes.pause('n3');
      await expect(read(client)).rejects.toThrow();
      await nodes.resume('n3');
      await eventually(async () => void (await read(client)), 30_000);
      // The fallback where the cgroup freezer refuses: SIGSTOP, thawed by the same resume.
      await cluster.freezeBySignal('n3');
      await expect(read(client)).rejects.toThrow();
      await nodes.resume('n3');
      await eventually(async () => void (await read(client)), 30_000);
    } finally {
      await client.shutdown();
    }

    await nodes.kill('n3');
    await eventually(async () => expect(await cluster.exec('n1', ['nodetool', 'status'])).toMatch(/^DN\s+172\.29\.77\.13\s/m), 60_000);
    // The CQL health check sees what nodetool sees: the survivors hold n3 down, n3 answers nothing.
    await eventually(async () => {
      const problems = await clusterRingProblems(cluster);
      expect(problems.filter((p) => /^n[12]: does not see every node up \(read at ALL: /.test(p))).toHaveLength(2);
      expect(problems).toContainEqual(expect.stringMatching(/^n3: no CQL answer through its proxy/));
    }, 60_000);
    await nodes.restart('n3');
    await cluster.waitHealthy(180_000);
    // ...and once it says healthy, every node's nodetool agrees that every node is UN.
    for (const n of cluster.nodes) {
      const ring = await cluster.exec(n.name, ['nodetool', 'status']);
      for (const m of cluster.nodes) expect(ring).toMatch(new RegExp(`^UN\\s+${m.address.replaceAll('.', '\\.')}\\s`, 'm'));
    }
    const info = await (await docker()).getContainer(nodeSpec('n3').container).inspect();
    expect(Object.values(info.NetworkSettings.Networks).map((n) => n.IPAddress)).toEqual([nodeSpec('n3').address]);
    await withClient(await connectPinned(cluster, 'n3', { keyspace: cluster.keyspace }), async (c) => {
      await c.execute('INSERT INTO kv (k, v) VALUES (?, ?)', ['after-restart', 'n3'], { prepare: true });
      expect((await read(c)).first()?.get('v')).toMatch(/^written via n1/);
    });
  });

  it('tears down and leaves no lockstorm container or network behind', async () => {
    await cluster.teardown();
    const d = await docker();
    const filters = { label: [`${LABEL}=true`] };
    expect(await d.listContainers({ all: true, filters })).toEqual([]);
    expect(await d.listNetworks({ filters })).toEqual([]);
    // A second teardown (afterAll) and cleanAll are harmless no-ops.
    expect(await cleanAll()).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
