// A Toxiproxy on this machine in front of a cluster lockstorm did not start (providers `existing`
// and `ssh`): the same lockstorm/toxiproxy image as the containers provider runs, but on the host's
// network, so it reaches the nodes exactly as this machine does (a routed staging network, or the
// lab's bridge), and listening on loopback only. One proxy per node, named like the node.
import { createServer } from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { NodeName } from '../cluster.ts';
import { own, disown } from './cleanup.ts';
import { ensureEngine } from './engine.ts';
import { ensureToxiproxyImage } from './images.ts';
import { LABEL, ROLE_LABEL } from './layout.ts';
import { docker } from './runtime.ts';
import { ToxiproxyLinks } from './toxiproxy.ts';

export const LOCAL_PROXY_ROLE = 'local-toxiproxy';

export interface LocalToxiproxy {
  apiUrl: string;
  /** host:port on loopback per node. */
  listen: ReadonlyMap<NodeName, string>;
  links: ToxiproxyLinks;
  stop(): Promise<void>;
}

/** A TCP port free on loopback right now (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startLocalToxiproxy(upstreams: ReadonlyArray<{ name: NodeName; upstream: string }>): Promise<LocalToxiproxy> {
  await ensureEngine();
  const image = await ensureToxiproxyImage();
  const d = await docker();
  const apiPort = await freePort();
  const name = `lockstorm-local-proxy-${process.pid}-${apiPort}`;
  own('containers', name);
  const container = await d.createContainer({
    Image: image,
    name,
    // Later flags win over the image's `-host 0.0.0.0 -port 8474`.
    Cmd: ['-host', '127.0.0.1', '-port', String(apiPort)],
    Labels: { [LABEL]: 'true', [ROLE_LABEL]: LOCAL_PROXY_ROLE },
    HostConfig: { NetworkMode: 'host', AutoRemove: false },
  });
  const stop = async () => {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    disown('containers', name);
  };
  try {
    await container.start();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const client = new Toxiproxy(apiUrl);
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await client.getVersion();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the local Toxiproxy did not answer at ${apiUrl}: ${(err as Error).message}`);
        await sleep(200);
      }
    }
    const listen = new Map<NodeName, string>();
    for (const u of upstreams) {
      // Port 0: Toxiproxy binds a free loopback port and reports it back.
      const proxy = await client.createProxy({ name: u.name, listen: '127.0.0.1:0', upstream: u.upstream, enabled: true });
      listen.set(u.name, proxy.listen);
    }
    return { apiUrl, listen, links: new ToxiproxyLinks(apiUrl), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
