// The connection watch on real sockets: a child process connects to its contact point and to
// another "node"; only the other one is reported, by the child's name.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BypassWatcher } from './bypass.ts';

const servers: Server[] = [];
const children: Array<ReturnType<typeof spawn>> = [];

async function listen(): Promise<number> {
  const server = createServer((s) => s.on('error', () => undefined));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const s of servers.splice(0)) s.close();
});

describe('BypassWatcher', () => {
  it('names a child connected to a Cassandra endpoint other than its contact point', async () => {
    const [contact, other, unrelated] = [await listen(), await listen(), await listen()];
    // The child holds three connections: its contact point, another node, and something that is not Cassandra.
    const script = `const net = require('node:net'); for (const p of [${contact}, ${other}, ${unrelated}]) net.connect(p, '127.0.0.1').on('error', () => {}); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
    children.push(child);
    const watcher = new BypassWatcher(new Set([`127.0.0.1:${contact}`, `127.0.0.1:${other}`]), 100);
    watcher.watch({ label: 'p4', pgid: child.pid!, allowed: new Set([`127.0.0.1:${contact}`]) });
    await new Promise((r) => setTimeout(r, 1_000));
    watcher.stop();
    expect(watcher.found()).toEqual([`p4 → 127.0.0.1:${other}`]);
  });
});
