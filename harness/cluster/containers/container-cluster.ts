// The Cluster the containers provider returns: three Cassandra containers and one Toxiproxy
// container, addressed by container name. Built by start.ts, or re-attached from labels
// (discover.ts). Every capability is here; `exec` and `toxiproxyApi` stay container-only.
import { cqlProblem } from '../cql-health.ts';
import { clusterRingProblems, lookTimedOut } from '../ring-health.ts';
import type { Capabilities, Cluster, NodeControl, NodeInfo, NodeName, NodeState, ProxyInfo, ServerSettings } from '../cluster.ts';
import { readReleaseVersions } from '../release-version.ts';
import { FaketimeClock } from './faketime-clock.ts';
import { combineViews, parseNodetoolStatus } from './health.ts';
import { IptablesNet } from './iptables-net.ts';
import { ToxiproxyLinks } from './toxiproxy.ts';
import { KEYSPACE, NETWORK_NAME, NODES, TOXIPROXY, nodeSpec } from './layout.ts';
import { disown } from './cleanup.ts';
import { docker, runtime } from './runtime.ts';

const CQL_READY = 'Starting listening for CQL clients';
const HEALTH_POLL_MS = 200;
/**
 * Each look's request timeout, longer after each look that timed out: a node that has just
 * opened its CQL port can leave the first request unanswered for seconds, and a short first try
 * asks again sooner, while a loaded machine whose answers are slow still gets the full 5 s.
 */
const HEALTH_TIMEOUTS_MS = [1_000, 2_500, 5_000];

export interface ClusterHandles {
  /** host:port per node name, as published by the Toxiproxy container. */
  proxyListen: ReadonlyMap<NodeName, string>;
  toxiproxyApi: string;
  settings: ServerSettings;
}

export const PROVIDER_NAME = 'containers';

export class ContainerCluster implements Cluster, NodeControl {
  readonly provider = PROVIDER_NAME;
  readonly nodes: readonly NodeInfo[] = NODES.map((n) => ({ name: n.name, address: n.address }));
  readonly proxies: readonly ProxyInfo[];
  readonly toxiproxyApi: string;
  readonly keyspace = KEYSPACE;
  readonly settings: ServerSettings;
  /** Everything a provider can offer (the clients are the runner's). */
  readonly capabilities: Required<Omit<Capabilities, 'clients'>>;
  readonly links: ToxiproxyLinks;

  constructor(handles: ClusterHandles) {
    this.proxies = NODES.map((n) => {
      const listen = handles.proxyListen.get(n.name);
      if (!listen) throw new Error(`Toxiproxy publishes no port for ${n.name}`);
      return { name: n.name, listen, upstream: `${n.address}:9042` };
    });
    this.toxiproxyApi = handles.toxiproxyApi;
    this.settings = handles.settings;
    this.links = new ToxiproxyLinks(handles.toxiproxyApi);
    const exec = this.exec.bind(this);
    this.capabilities = { nodes: this, links: this.links, net: new IptablesNet(this.nodes, exec), clock: new FaketimeClock(exec) };
  }

  /** Addresses worth showing a user next to the contact points. */
  get extras(): Readonly<Record<string, string>> {
    return { 'toxiproxy API': this.toxiproxyApi };
  }

  private async container(node: NodeName) {
    return (await docker()).getContainer(nodeSpec(node).container);
  }

  /** SIGTERM: Cassandra drains and announces its shutdown. */
  async stop(node: NodeName): Promise<void> {
    await (await this.container(node)).stop({ t: 30 }).catch(ignoreNotModified);
  }

  /** SIGKILL: no announcement; peers notice through the failure detector. */
  async kill(node: NodeName): Promise<void> {
    await (await this.container(node)).kill({ signal: 'SIGKILL' }).catch(ignoreNotModified);
  }

  /**
   * Freezes the node. The cgroup freezer is the real thing, but on this project's hosts it
   * sometimes refuses ("unable to freeze", twice in a day of runs); SIGSTOP then freezes the
   * node's JVM just the same: it is PID 1 of its container, and a signal sent from outside the
   * container's PID namespace cannot be ignored.
   */
  async pause(node: NodeName): Promise<void> {
    try {
      await (await this.container(node)).pause();
    } catch (err) {
      if (!/unable to freeze/.test((err as Error).message)) throw err;
      await this.freezeBySignal(node);
    }
  }

  async freezeBySignal(node: NodeName): Promise<void> {
    await (await this.container(node)).kill({ signal: 'SIGSTOP' });
  }

  /** Thaws the node whichever way it was frozen; harmless on a node that is not. */
  async resume(node: NodeName): Promise<void> {
    const c = await this.container(node);
    const info = await c.inspect();
    if (info.State.Paused) await c.unpause();
    if (info.State.Running) await c.kill({ signal: 'SIGCONT' }).catch(ignoreNotModified);
  }

  /** Restarts (or starts, when stopped or killed) a node; resolves once it serves CQL again. */
  async restart(node: NodeName): Promise<void> {
    const c = await this.container(node);
    const info = await c.inspect();
    if (info.State.Paused) await c.unpause();
    const since = Math.floor(Date.now() / 1000);
    if (info.State.Running) await c.restart({ t: 30 });
    else await c.start();
    await waitForLog(nodeSpec(node).container, CQL_READY, since, 300_000);
  }

  /** Whether the node's container runs a process we can exec into (false when stopped or frozen). */
  async running(node: NodeName): Promise<boolean> {
    try {
      await this.exec(node, ['true']);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs a command inside a node's container (iptables, faketime file); rejects on non-zero exit. */
  async exec(node: NodeName, argv: string[]): Promise<string> {
    const rt = await runtime();
    const r = await rt.container.exec(rt.container.getById(nodeSpec(node).container), argv);
    if (r.exitCode !== 0) {
      throw new Error(`${argv.join(' ')} on ${node} exited ${r.exitCode}: ${(r.stderr || r.output).trim().split('\n').pop() ?? ''}`);
    }
    return r.stdout;
  }

  /** Each node's state as the running nodes see it (nodetool status on every reachable node). */
  async states(): Promise<Map<NodeName, NodeState>> {
    const d = await docker();
    const views = await Promise.all(
      NODES.map(async (n) => {
        const info = await d.getContainer(n.container).inspect().catch(() => undefined);
        if (!info?.State.Running || info.State.Paused) return undefined;
        const out = await withTimeout(this.exec(n.name, ['nodetool', 'status']), 30_000).catch(() => undefined);
        return out === undefined ? undefined : parseNodetoolStatus(out);
      }),
    );
    const answered = views.filter((v): v is Map<string, string> => v !== undefined);
    const byAddress = combineViews(NODES.map((n) => n.address), answered);
    return new Map(NODES.map((n) => [n.name, byAddress.get(n.address) ?? 'DN']));
  }

  releaseVersions(): Promise<Record<string, string>> {
    return readReleaseVersions(this);
  }

  /** Undefined when `SELECT … FROM system.local` answers through this node's proxy, else why not. */
  cqlProblem(node: NodeName): Promise<string | undefined> {
    return cqlProblem(this, node);
  }

  /**
   * Every node sees every node up and normal, one schema version, CQL through every proxy: read
   * over CQL through the proxies (ring-health.ts), which costs a fraction of a nodetool JVM per
   * container and so can be asked often.
   */
  async waitHealthy(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let timedOut = 0;
    while (Date.now() < deadline) {
      const problems = await clusterRingProblems(this, HEALTH_TIMEOUTS_MS[Math.min(timedOut, HEALTH_TIMEOUTS_MS.length - 1)]);
      if (problems.length === 0) return;
      if (lookTimedOut(problems)) timedOut++;
      last = problems.join('; ');
      await sleep(HEALTH_POLL_MS);
    }
    throw new Error(`cluster not healthy after ${Math.round(timeoutMs / 1000)} s (${last})`);
  }

  async teardown(): Promise<void> {
    const d = await docker();
    const names = [...NODES.map((n) => n.container), TOXIPROXY.container];
    await Promise.all(names.map((n) => d.getContainer(n).remove({ force: true, v: true }).catch(ignoreMissing)));
    await d.getNetwork(NETWORK_NAME).remove().catch(ignoreMissing);
    disown('containers', ...names);
    disown('networks', NETWORK_NAME);
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}
function ignoreNotModified(err: unknown): void {
  // 304: already stopped; 409: not running (kill of a stopped container).
  if (statusOf(err) !== 304 && statusOf(err) !== 409) throw err;
}
function ignoreMissing(err: unknown): void {
  if (statusOf(err) !== 404) throw err;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** Polls a container's log (since a Unix time) until a line contains `text`. */
export async function waitForLog(container: string, text: string, sinceSec: number, timeoutMs: number): Promise<void> {
  const c = (await docker()).getContainer(container);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const buf = (await c.logs({ stdout: true, stderr: true, since: sinceSec, follow: false })) as unknown as Buffer;
    if (buf.toString('latin1').includes(text)) return;
    const info = await c.inspect();
    if (!info.State.Running && !info.State.Restarting) {
      throw new Error(`${container} exited (code ${info.State.ExitCode}) before logging "${text}"`);
    }
    await sleep(1000);
  }
  throw new Error(`${container} did not log "${text}" within ${Math.round(timeoutMs / 1000)} s`);
}
