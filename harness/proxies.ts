// A small client for Toxiproxy's HTTP API (the real server in the lockstorm-toxiproxy container).
// Used by the cluster layer, the nemesis and tests.

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
/** upstream = client -> Cassandra, downstream = Cassandra -> client. */
export type ToxicStream = 'upstream' | 'downstream';

export interface ToxicSpec {
  name: string;
  type: ToxicType;
  stream: ToxicStream;
  /** Share of connections affected, 0..1 (default 1). */
  toxicity?: number;
  /** Type-specific numbers, e.g. { timeout: 0 } or { latency: 500, jitter: 50 }. */
  attributes: Record<string, number>;
}

export interface Toxic extends Required<ToxicSpec> {}

export interface ProxyState {
  name: string;
  /** Listen address inside the Toxiproxy container (what Toxiproxy itself reports). */
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

export class ToxiproxyError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'ToxiproxyError';
  }
}

export class ToxiproxyClient {
  constructor(readonly baseUrl: string) {}

  async version(): Promise<string> {
    return (await this.request('GET', '/version', undefined, 'text')) as string;
  }

  async listProxies(): Promise<ProxyState[]> {
    const byName = (await this.request('GET', '/proxies')) as Record<string, ProxyState>;
    return Object.values(byName).sort((a, b) => a.name.localeCompare(b.name));
  }

  async getProxy(name: string): Promise<ProxyState> {
    return (await this.request('GET', `/proxies/${encodeURIComponent(name)}`)) as ProxyState;
  }

  /** Disabling closes the proxy's open connections and refuses new ones. */
  async setEnabled(name: string, enabled: boolean): Promise<ProxyState> {
    return (await this.request('POST', `/proxies/${encodeURIComponent(name)}`, { enabled })) as ProxyState;
  }

  async addToxic(proxy: string, toxic: ToxicSpec): Promise<Toxic> {
    const body = { toxicity: 1, ...toxic };
    return (await this.request('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, body)) as Toxic;
  }

  async removeToxic(proxy: string, toxic: string): Promise<void> {
    await this.request('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, undefined, 'none');
  }

  /** Enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    await this.request('POST', '/reset', undefined, 'none');
  }

  private async request(method: string, path: string, body?: unknown, expect: 'json' | 'text' | 'none' = 'json'): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new ToxiproxyError(`Toxiproxy at ${this.baseUrl} did not answer ${method} ${path}: ${(err as Error).message}`, 0);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new ToxiproxyError(`Toxiproxy ${method} ${path} -> ${res.status} ${text.trim()}`, res.status);
    }
    if (expect === 'none') return undefined;
    return expect === 'text' ? (await res.text()).trim() : res.json();
  }
}
