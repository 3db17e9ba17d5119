// The link capability against a stand-in Toxiproxy API on loopback: what it sends, what it reads
// back (toxics included), and that a failing or silent server gives an error naming the request.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ToxiproxyLinks } from './toxiproxy.ts';

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

const proxy = (name: string, toxics: string[] = []) => ({
  name, listen: '[::]:9101', upstream: `172.29.77.11:9042`, enabled: true,
  toxics: toxics.map((t) => ({ name: t, type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } })),
});

let server: Server | undefined;

async function serve(answer: (req: Seen) => { status: number; body?: unknown } | 'hang'): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, body: text ? JSON.parse(text) : undefined };
      seen.push(s);
      const a = answer(s);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

describe('ToxiproxyLinks', () => {
  it('lists every link with the names of its toxics, sorted by name', async () => {
    const { url } = await serve(() => ({ status: 200, body: { n2: proxy('n2'), n1: proxy('n1', ['nemesis-reset']) } }));
    expect(await new ToxiproxyLinks(url).states()).toEqual([
      { name: 'n1', upstream: '172.29.77.11:9042', enabled: true, toxics: ['nemesis-reset'] },
      { name: 'n2', upstream: '172.29.77.11:9042', enabled: true, toxics: [] },
    ]);
  });

  it('adds a toxic at full toxicity, disables a link, removes a toxic and resets', async () => {
    const { url, seen } = await serve((r) => ({
      status: 200,
      body: r.url.includes('/toxics') ? { name: 'cut', type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } } : proxy('n1'),
    }));
    const links = new ToxiproxyLinks(url);
    await links.addToxic('n1', { name: 'cut', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    await links.setEnabled('n1', false);
    await links.removeToxic('n1', 'cut');
    await links.reset();
    const writes = seen.filter((s) => s.method !== 'GET');
    expect(writes).toEqual([
      { method: 'POST', url: '/proxies/n1/toxics', body: { toxicity: 1, name: 'cut', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } } },
      { method: 'POST', url: '/proxies/n1', body: { listen: '[::]:9101', upstream: '172.29.77.11:9042', enabled: false } },
      { method: 'DELETE', url: '/proxies/n1/toxics/cut', body: undefined },
      { method: 'POST', url: '/reset', body: undefined },
    ]);
  });

  it('names the request when the server refuses it', async () => {
    const { url } = await serve(() => ({ status: 404, body: { error: 'proxy not found' } }));
    await expect(new ToxiproxyLinks(url).setEnabled('n9', true)).rejects.toThrow(`Toxiproxy at ${url}: POST /proxies/n9: Request failed with status code 404`);
  });

  it('gives up on a server that never answers', async () => {
    const { url } = await serve(() => 'hang');
    await expect(new ToxiproxyLinks(url, 200).reset()).rejects.toThrow(`Toxiproxy at ${url}: POST /reset: timed out after 200 ms`);
  });
});
