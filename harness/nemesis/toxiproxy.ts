// TEMPORARY: the few Toxiproxy calls the link family needs, until harness/proxies.ts (engineer A)
// lands; then this file becomes a thin adapter over it.

import type { Cluster } from '../cluster/cluster.ts';

export interface ToxicSpec {
  name: string;
  type: 'timeout' | 'reset_peer' | 'latency';
  stream: 'upstream' | 'downstream';
  attributes: Record<string, number>;
}

export interface ProxyState {
  name: string;
  enabled: boolean;
  /** Names of the toxics present. */
  toxics: string[];
}

export interface ProxyControl {
  list(): Promise<ProxyState[]>;
  setEnabled(proxy: string, enabled: boolean): Promise<void>;
  addToxic(proxy: string, toxic: ToxicSpec): Promise<void>;
  removeToxic(proxy: string, toxic: string): Promise<void>;
  /** Enable every proxy and remove every toxic. */
  reset(): Promise<void>;
}

export function toxiproxyFor(cluster: Cluster): ProxyControl {
  const base = cluster.toxiproxyApi.replace(/\/$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Toxiproxy ${method} ${path}: HTTP ${res.status} ${text.trim()}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    async list() {
      const all = (await call('GET', '/proxies')) as Record<string, { name: string; enabled: boolean; toxics: { name: string }[] }>;
      return Object.values(all).map((p) => ({ name: p.name, enabled: p.enabled, toxics: p.toxics.map((t) => t.name) }));
    },
    async setEnabled(proxy, enabled) {
      await call('PATCH', `/proxies/${encodeURIComponent(proxy)}`, { enabled });
    },
    async addToxic(proxy, toxic) {
      await call('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, { ...toxic, toxicity: 1 });
    },
    async removeToxic(proxy, toxic) {
      await call('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`);
    },
    async reset() {
      await call('POST', '/reset');
    },
  };
}
