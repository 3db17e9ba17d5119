// Finding a running lockstorm cluster from its containers' labels and published ports, so
// `cluster status` / `cluster down` and later runs can use what `cluster up` left running.
import type { NodeName, ServerSettings } from '../cluster.ts';
import { DEFAULT_SETTINGS } from '../settings.ts';
import { ContainerCluster } from './container-cluster.ts';
import { LABEL, NODES, NODE_LABEL, SETTINGS_LABEL, TOXIPROXY } from './layout.ts';
import type { RunningFacts } from '../reuse.ts';
import { LAB_LABEL } from './ssh-lab.ts';
import { docker, publishedHost } from './runtime.ts';

type PortMap = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

function hostPort(ports: PortMap, containerPort: number, host: string): string | undefined {
  const binding = ports[`${containerPort}/tcp`]?.[0];
  if (!binding) return undefined;
  const ip = binding.HostIp && binding.HostIp !== '0.0.0.0' && binding.HostIp !== '::' ? binding.HostIp : host;
  return `${ip === 'localhost' ? '127.0.0.1' : ip}:${binding.HostPort}`;
}

async function nodeContainers() {
  const d = await docker();
  return d.listContainers({ all: true, filters: { label: [`${LABEL}=true`, NODE_LABEL] } });
}

function settingsFromLabels(labels: Record<string, string> | undefined): ServerSettings {
  const raw = labels?.[SETTINGS_LABEL];
  if (!raw) return DEFAULT_SETTINGS;
  try {
    return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<ServerSettings>) };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** How the running cluster's nodes were started: settings, image, lab (reuse.ts compares them). */
export async function runningFacts(): Promise<RunningFacts | undefined> {
  const nodes = await nodeContainers();
  const first = nodes[0];
  if (!first) return undefined;
  const images = new Set(nodes.map((n) => n.Image));
  const lab = first.Labels[LAB_LABEL];
  return {
    settings: settingsFromLabels(first.Labels),
    // Nodes on different images are no cluster anyone started: name them all so nothing matches.
    image: [...images].join(' + '),
    ...(lab ? { lab } : {}),
  };
}

/** The running cluster, or undefined when no lockstorm Toxiproxy container is running. */
export async function attachCluster(): Promise<ContainerCluster | undefined> {
  const d = await docker();
  const info = await d.getContainer(TOXIPROXY.container).inspect().catch(() => undefined);
  if (!info?.State.Running || info.Config.Labels?.[LABEL] !== 'true') return undefined;
  const ports = (info.NetworkSettings.Ports ?? {}) as PortMap;
  const host = await publishedHost();
  const api = hostPort(ports, TOXIPROXY.apiPort, host);
  const proxyListen = new Map<NodeName, string>();
  for (const n of NODES) {
    const listen = hostPort(ports, n.proxyPort, host);
    if (listen) proxyListen.set(n.name, listen);
  }
  if (!api || proxyListen.size !== NODES.length) return undefined;
  const nodes = await nodeContainers();
  return new ContainerCluster({ proxyListen, toxiproxyApi: `http://${api}`, settings: settingsFromLabels(nodes[0]?.Labels) });
}
