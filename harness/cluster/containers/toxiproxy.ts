// The link capability over the real Toxiproxy server in the lockstorm-toxiproxy container, driven
// through toxiproxy-node-client. What this file adds to that client, and why:
// - a deadline on every request: the client's fetch has none, and a hung Toxiproxy must fail a
//   heal rather than hang the run;
// - errors that name the request: the client reports only "Request failed with status code N";
// - each proxy's toxics: the client's Proxy object drops the `toxics` field of the server's
//   answer, so the listing reads the raw answer through the client's own HTTP layer.
import { Toxiproxy, type ICreateToxicBody, type Proxy } from 'toxiproxy-node-client';
import type { LinkControl, LinkState, NodeName, ToxicSpec } from '../cluster.ts';

const REQUEST_TIMEOUT_MS = 10_000;

interface RawProxy {
  name: string;
  upstream: string;
  enabled: boolean;
  toxics: Array<{ name: string }>;
}

export class ToxiproxyLinks implements LinkControl {
  private readonly client: Toxiproxy;

  constructor(readonly apiUrl: string, private readonly timeoutMs = REQUEST_TIMEOUT_MS) {
    this.client = new Toxiproxy(apiUrl.replace(/\/+$/, ''));
  }

  async version(): Promise<string> {
    return (await this.call('GET /version', () => this.client.getVersion())).trim();
  }

  async addToxic(link: NodeName, toxic: ToxicSpec): Promise<void> {
    const body: ICreateToxicBody<Record<string, number>> = { toxicity: 1, ...toxic };
    await this.call(`POST /proxies/${link}/toxics`, async () => (await this.proxy(link)).addToxic(body));
  }

  async removeToxic(link: NodeName, toxicName: string): Promise<void> {
    await this.call(`DELETE /proxies/${link}/toxics/${toxicName}`, async () => (await (await this.proxy(link)).getToxic(toxicName)).remove());
  }

  async setEnabled(link: NodeName, enabled: boolean): Promise<void> {
    await this.call(`POST /proxies/${link}`, async () => {
      const proxy = await this.proxy(link);
      await proxy.update({ listen: proxy.listen, upstream: proxy.upstream, enabled });
    });
  }

  async reset(): Promise<void> {
    await this.call('POST /reset', () => this.client.reset());
  }

  async states(): Promise<LinkState[]> {
    const { data } = await this.call('GET /proxies', () => this.client.getApi().get(`${this.client.host}/proxies`));
    const byName = (data ?? {}) as Record<string, RawProxy>;
    return Object.values(byName)
      .map((p) => ({ name: p.name, upstream: p.upstream, enabled: p.enabled, toxics: (p.toxics ?? []).map((t) => t.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private proxy(link: NodeName): Promise<Proxy> {
    return this.client.get(encodeURIComponent(link));
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([request(), deadline]);
    } catch (err) {
      throw new Error(`Toxiproxy at ${this.apiUrl}: ${what}: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}
