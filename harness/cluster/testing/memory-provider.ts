// A provider that exists only for tests: a cluster kept in memory, with node and clock
// capabilities and neither links nor a network. It shows what a provider is (this one file plus
// one registerProvider call) and lets the nemesis be driven, and refuse faults, without Docker.
import type { ClockControl, Cluster, NodeControl, NodeName, NodeState, ServerSettings } from '../cluster.ts';
import type { ClusterProvider } from '../provider.ts';

type Life = 'up' | 'paused' | 'down';

export class MemoryCluster implements Cluster {
  readonly provider = 'memory';
  readonly nodes = ['n1', 'n2', 'n3'].map((name, i) => ({ name, address: `10.0.0.${i + 1}` }));
  readonly proxies = this.nodes.map((n, i) => ({ name: n.name, listen: `127.0.0.1:${9201 + i}`, upstream: `${n.address}:9042` }));
  readonly keyspace = 'lockstorm';
  readonly life = new Map<NodeName, Life>(this.nodes.map((n) => [n.name, 'up']));
  readonly offsets = new Map<NodeName, number>(this.nodes.map((n) => [n.name, 0]));
  tornDown = false;

  private readonly nodeControl: NodeControl = {
    stop: async (n) => void this.life.set(n, 'down'),
    kill: async (n) => void this.life.set(n, 'down'),
    pause: async (n) => void this.life.set(n, 'paused'),
    resume: async (n) => void (this.life.get(n) === 'paused' && this.life.set(n, 'up')),
    restart: async (n) => void this.life.set(n, 'up'),
    running: async (n) => this.life.get(n) === 'up',
    states: async () => new Map([...this.life].map(([n, l]): [NodeName, NodeState] => [n, l === 'up' ? 'UN' : 'DN'])),
  };

  private readonly clock: ClockControl = {
    setOffsets: async (offsets) => offsets.forEach((ms, n) => this.offsets.set(n, ms)),
    offset: async (n) => this.offsets.get(n) ?? 0,
  };

  readonly capabilities = { nodes: this.nodeControl, clock: this.clock };

  constructor(readonly settings: ServerSettings) {}

  async waitHealthy(): Promise<void> {
    const down = [...this.life].filter(([, l]) => l !== 'up').map(([n]) => n);
    if (down.length) throw new Error(`not UN: ${down.join(', ')}`);
  }

  async teardown(): Promise<void> {
    this.tornDown = true;
  }
}

export const memoryProvider: ClusterProvider = {
  name: 'memory',
  start: async (settings) => new MemoryCluster(settings),
};
