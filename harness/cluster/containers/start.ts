// The containers provider's start: network with a fixed subnet, three Cassandra nodes started in
// parallel (every node a seed, one preassigned token each), one Toxiproxy, keyspace with RF=3.
import { UserError } from '../../core/errors.ts';
import type { Cluster, NodeName, ServerSettings } from '../cluster.ts';
import { connectPinned } from '../driver.ts';
import type { StartOptions } from '../provider.ts';
import { ensureEngine } from './engine.ts';
import { ensureImages } from './images.ts';
import { own, disown } from './cleanup.ts';
import { ContainerCluster } from './container-cluster.ts';
import {
  GATEWAY, KEYSPACE, LABEL, NETWORK_NAME, NODES, NODE_LABEL, ROLE_LABEL, SETTINGS_LABEL, SUBNET,
  TOXIPROXY, nodeEnvironment, toxiproxyConfig, type NodeSpec,
} from './layout.ts';
import { GenericContainer, Wait, docker, publishedHost } from './runtime.ts';
import { localEngine } from './testcontainers-env.ts';
import { say } from './paths.ts';
import { LAB_LABEL, ensureSshLabImage, newLabKey } from './ssh-lab.ts';

/** A GenericContainer that joins one network at a fixed address and publishes on loopback only. */
class FixedAddressContainer extends GenericContainer {
  atAddress(network: string, address: string): this {
    this.withNetworkMode(network);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: address } } } };
    return this;
  }

  /** An init as PID 1 (the engine's docker-init), reaping every process that ends in the container. */
  withInit(): this {
    this.hostConfig.Init = true;
    return this;
  }

  publishOnLoopback(): this {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const b of bindings as Array<{ HostIp?: string }>) b.HostIp = '127.0.0.1';
    }
    return this;
  }
}

function labels(role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [LABEL]: 'true', [ROLE_LABEL]: role, ...extra };
}

function cassandraContainer(image: string, node: NodeSpec, settings: ServerSettings, lab?: { authorizedKey: string }): FixedAddressContainer {
  const c = new FixedAddressContainer(image)
    .withName(node.container)
    .withHostname(node.name)
    .withLabels(labels('node', { [NODE_LABEL]: node.name, [SETTINGS_LABEL]: JSON.stringify(settings), ...(lab ? { [LAB_LABEL]: 'ssh' } : {}) }))
    .withEnvironment(nodeEnvironment(node, settings))
    .withAddedCapabilities('NET_ADMIN')
    .withWaitStrategy(Wait.forLogMessage('Starting listening for CQL clients'))
    .withStartupTimeout(300_000)
    .atAddress(NETWORK_NAME, node.address);
  if (!lab) return c;
  // The lab's main process is sshd, Cassandra a service beside it: an init reaps a JVM killed over
  // SSH, and readiness is sshd listening (waitHealthy then waits for CQL and UN).
  return c
    .withInit()
    .withCopyContentToContainer([{ content: lab.authorizedKey, target: '/root/.ssh/authorized_keys', mode: 0o600 }])
    .withWaitStrategy(Wait.forLogMessage('Server listening on'));
}

function toxiproxyContainer(image: string): FixedAddressContainer {
  const c = new FixedAddressContainer(image)
    .withName(TOXIPROXY.container)
    .withLabels(labels('toxiproxy'))
    .withCopyContentToContainer([{ content: toxiproxyConfig(), target: '/etc/toxiproxy/proxies.json' }])
    .withCommand(['-config', '/etc/toxiproxy/proxies.json'])
    .withExposedPorts(TOXIPROXY.apiPort, ...NODES.map((n) => n.proxyPort))
    .withWaitStrategy(Wait.forHttp('/proxies', TOXIPROXY.apiPort))
    .withStartupTimeout(60_000)
    .atAddress(NETWORK_NAME, TOXIPROXY.address);
  return localEngine() ? c.publishOnLoopback() : c;
}

async function createNetwork(): Promise<void> {
  const d = await docker();
  try {
    await d.createNetwork({
      Name: NETWORK_NAME,
      Driver: 'bridge',
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: SUBNET, Gateway: GATEWAY }] },
      Labels: { [LABEL]: 'true' },
    });
  } catch (err) {
    throw new UserError(`cannot create network ${NETWORK_NAME} (${SUBNET}): ${(err as Error).message.split('\n')[0]}`);
  }
}

async function assertNoCluster(): Promise<void> {
  const d = await docker();
  const running = await d.listContainers({ all: true, filters: { label: [`${LABEL}=true`] } });
  const nets = await d.listNetworks({ filters: { name: [NETWORK_NAME] } });
  if (running.length > 0 || nets.some((n) => n.Name === NETWORK_NAME)) {
    throw new UserError('a lockstorm cluster (or its leftovers) already exists: `lockstorm cluster down` or `lockstorm clean` removes it');
  }
}

export async function createKeyspace(cluster: Cluster, node: NodeName = 'n1'): Promise<void> {
  const client = await connectPinned(cluster, node, { requestTimeoutMs: 30_000 });
  try {
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}`,
    );
  } finally {
    await client.shutdown();
  }
}

/** Host-reachable address of a published Toxiproxy port. */
function published(host: string, started: { getMappedPort(p: number): number }, port: number): string {
  return `${host === 'localhost' ? '127.0.0.1' : host}:${started.getMappedPort(port)}`;
}

/** `settings` are already resolved (providers.ts fills the defaults). */
export async function startContainerCluster(settings: ServerSettings, opts: StartOptions = {}): Promise<ContainerCluster> {
  const t0 = Date.now();
  const log = opts.verbose ? (m: string) => say(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`) : () => {};
  let phaseStart = t0;
  const phase = (name: string): void => {
    const now = Date.now();
    opts.onPhase?.(name, now - phaseStart);
    phaseStart = now;
  };
  await ensureEngine();
  const images = opts.lab === 'ssh' ? await ensureSshLabImage(settings.cassandraVersion) : await ensureImages(settings.cassandraVersion);
  await assertNoCluster();
  phase('engine and images');
  const lab = opts.lab === 'ssh' ? newLabKey() : undefined;

  const names = [...NODES.map((n) => n.container), TOXIPROXY.container];
  own('networks', NETWORK_NAME);
  own('containers', ...names);
  try {
    await createNetwork();
    phase('network');
    log(`starting Cassandra ${settings.cassandraVersion} on ${NODES.map((n) => `${n.name} (${n.address})`).join(', ')} and Toxiproxy on ${NETWORK_NAME} ${SUBNET}`);
    const [toxiproxy] = await Promise.all([
      toxiproxyContainer(images.toxiproxy).start(),
      ...NODES.map((n) => cassandraContainer(images.cassandra, n, settings, lab).start()),
    ]);
    phase('containers up, every node serves CQL');
    const host = await publishedHost();
    const cluster = new ContainerCluster({
      proxyListen: new Map(NODES.map((n) => [n.name, published(host, toxiproxy, n.proxyPort)])),
      toxiproxyApi: `http://${published(host, toxiproxy, TOXIPROXY.apiPort)}`,
      settings,
    });
    log('all nodes serve CQL; waiting until every node sees every node UN');
    await cluster.waitHealthy(180_000);
    phase('every node sees every node UN, one schema');
    await createKeyspace(cluster);
    phase('keyspace');
    log(`cluster healthy; keyspace ${KEYSPACE} (RF=3) ready${lab ? `; SSH lab: root@<node address>, key ${lab.privateKeyFile}` : ''}`);
    if (opts.keepAfterExit) {
      disown('containers', ...names);
      disown('networks', NETWORK_NAME);
    }
    return cluster;
  } catch (err) {
    await new ContainerCluster({ proxyListen: new Map(NODES.map((n) => [n.name, '-'])), toxiproxyApi: '', settings })
      .teardown()
      .catch(() => {});
    throw err;
  }
}
