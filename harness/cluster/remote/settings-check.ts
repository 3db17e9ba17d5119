// lockstorm cannot change the settings of a cluster it did not start, so it checks them: every
// node's system_views.settings must hold the Paxos variant and timeouts the cell asks for, or the
// start fails naming the node and the setting. A verdict must be about the settings it names.
import type { Cluster, NodeName, ServerSettings } from '../cluster.ts';
import { connectPinned } from '../driver.ts';

/** The settings lockstorm varies, by their 4.1+ names and (for 4.0) their `_in_ms` names. */
export function expectedSettings(s: ServerSettings): Array<{ names: string[]; want: string; unitMs: boolean }> {
  return [
    { names: ['paxos_variant'], want: s.paxosVariant, unitMs: false },
    { names: ['write_request_timeout', 'write_request_timeout_in_ms'], want: String(s.writeRequestTimeoutMs), unitMs: true },
    { names: ['read_request_timeout', 'read_request_timeout_in_ms'], want: String(s.readRequestTimeoutMs), unitMs: true },
    { names: ['cas_contention_timeout', 'cas_contention_timeout_in_ms'], want: String(s.casContentionTimeoutMs), unitMs: true },
  ];
}

/** "2000ms", "2000", "2s" → ms as a string; anything else unchanged. */
export function normalizeMs(value: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|milliseconds|seconds)?$/.exec(value.trim());
  if (!m) return value;
  const n = Number(m[1]) * (m[2] === 's' || m[2] === 'seconds' ? 1000 : 1);
  return String(n);
}

/** One line per setting a node runs differently from `settings`; empty when all agree. */
export function settingsMismatches(node: NodeName, running: ReadonlyMap<string, string>, settings: ServerSettings): string[] {
  const out: string[] = [];
  for (const e of expectedSettings(settings)) {
    const name = e.names.find((n) => running.has(n));
    if (!name) continue; // a release without the setting (4.0 has no Paxos v2 switch)
    const raw = running.get(name)!;
    const have = e.unitMs ? normalizeMs(raw) : raw;
    if (have !== e.want) out.push(`${node} runs ${name}=${raw}, the cell asks for ${e.want}${e.unitMs ? ' ms' : ''}`);
  }
  return out;
}

export async function checkServerSettings(cluster: Cluster): Promise<void> {
  const problems: string[] = [];
  for (const n of cluster.nodes) {
    const client = await connectPinned(cluster, n.name, { requestTimeoutMs: 10_000 });
    try {
      const rs = await client.execute('SELECT name, value FROM system_views.settings');
      const running = new Map(rs.rows.map((r) => [String(r['name']), String(r['value'])]));
      problems.push(...settingsMismatches(n.name, running, cluster.settings));
    } finally {
      await client.shutdown();
    }
  }
  if (problems.length > 0) {
    throw new Error(`the ${cluster.provider} cluster's settings differ from the cell's, and lockstorm cannot change them: ${problems.join('; ')} (set cluster.paxos_variant / cluster.timeouts to what it runs)`);
  }
}
