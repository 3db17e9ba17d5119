// Client-link cuts through the proxies: the fault sits between the lock clients and one node (or
// all), never between nodes. Every cut leaves the client with the same error whether or not its
// write was applied; that ambiguity is what breaks naive lock recipes.

import { z } from 'zod';
import type { LinkControl, NodeName, ToxicSpec } from '../cluster/cluster.ts';
import { capability, type FaultFamily } from './family.ts';
import { someNodes } from './pick.ts';

const faults = ['reply-lost', 'request-lost', 'reset', 'latency', 'link-down', 'reply-lost-then-down'] as const;
export type LinkFaultName = (typeof faults)[number];
export type Stream = 'upstream' | 'downstream';

/** `targets` are the client links (named after their nodes). */
export type LinkFault =
  | { family: 'link'; name: 'reply-lost' | 'request-lost' | 'link-down'; targets: NodeName[] }
  | { family: 'link'; name: 'reset'; targets: NodeName[]; stream: Stream }
  | { family: 'link'; name: 'latency'; targets: NodeName[]; latencyMs: number }
  /** Replies vanish for `replyLostMs`, then the link goes down until the fault stops. */
  | { family: 'link'; name: 'reply-lost-then-down'; targets: NodeName[]; replyLostMs: number };

const params = {
  /** Link cuts hit one link, all links, or either (seeded, one:all = 2:1). */
  linkTargets: z.enum(['one', 'all', 'any']).default('any'),
  /** Added one-way delay for `latency`; pick it above the client's per-operation timeout. */
  latencyMs: z.number().int().min(1).max(600_000).default(5_000),
  /** Which direction `reset` cuts: upstream (request lost) or downstream (reply lost). */
  resetStream: z.enum(['upstream', 'downstream', 'any']).default('any'),
  /**
   * How long `reply-lost-then-down` swallows replies before it takes the link down. Keep it under
   * the client's per-operation timeout: a write sent in that time lands, its client learns nothing
   * but that the connection closed, and whatever it sends next is refused.
   */
  replyLostMs: z.number().int().min(1).max(600_000).default(300),
};

/** Our toxics carry this prefix so they can be told from anyone else's. */
const PREFIX = 'nemesis-';

/** The toxic a fault adds to each target link; null for link-down, which disables the link. */
export function toxicFor(fault: LinkFault): ToxicSpec | null {
  switch (fault.name) {
    case 'reply-lost':
    case 'reply-lost-then-down':
      // Requests reach the node; its replies are swallowed and the connection stays open.
      return { name: `${PREFIX}reply-lost`, type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } };
    case 'request-lost':
      return { name: `${PREFIX}request-lost`, type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } };
    case 'reset':
      // The first bytes that cross in `stream` turn into a TCP RST (SO_LINGER 0).
      return { name: `${PREFIX}reset`, type: 'reset_peer', stream: fault.stream, attributes: { timeout: 0 } };
    case 'latency':
      // Replies are late, not lost: the write lands, the client gives up first.
      return { name: `${PREFIX}latency`, type: 'latency', stream: 'downstream', attributes: { latency: fault.latencyMs, jitter: 0 } };
    case 'link-down':
      return null;
  }
}

async function bounce(links: LinkControl, link: NodeName): Promise<void> {
  await links.setEnabled(link, false);
  await links.setEnabled(link, true);
}

export const linkFamily: FaultFamily<LinkFault, typeof params> = {
  family: 'link',
  faults,
  params,
  needs: 'links',
  movesClocks: false,
  holdsBack: true,
  healStage: 'outside-nodes',
  plan(name, rng, p, nodes) {
    const targets = someNodes(rng, p.linkTargets, nodes);
    if (name === 'reset') {
      const stream = p.resetStream === 'any' ? rng.pick(['upstream', 'downstream'] as const) : p.resetStream;
      return { family: 'link', name, targets, stream };
    }
    if (name === 'latency') return { family: 'link', name, targets, latencyMs: p.latencyMs };
    if (name === 'reply-lost-then-down') return { family: 'link', name, targets, replyLostMs: p.replyLostMs };
    return { family: 'link', name, targets };
  },
  async start(cluster, fault) {
    const links = capability(cluster, 'links');
    const toxic = toxicFor(fault);
    for (const link of fault.targets) {
      if (toxic) await links.addToxic(link, toxic);
      else await links.setEnabled(link, false);
    }
    if (fault.name === 'reply-lost-then-down') {
      // Not a second toxic for requests: Toxiproxy closes the connection as that one joins too,
      // so the second phase is the link going down, and says so.
      await new Promise((resolve) => setTimeout(resolve, fault.replyLostMs));
      for (const link of fault.targets) await links.setEnabled(link, false);
    }
  },
  async stop(cluster, fault) {
    const links = capability(cluster, 'links');
    const toxic = toxicFor(fault);
    for (const link of fault.targets) {
      if (fault.name === 'reply-lost-then-down') {
        // Disabling closed every connection that saw the swallowed replies: none to bounce.
        await links.removeToxic(link, toxic!.name);
        await links.setEnabled(link, true);
        continue;
      }
      if (!toxic) {
        await links.setEnabled(link, true);
        continue;
      }
      await links.removeToxic(link, toxic.name);
      // A timeout toxic drops bytes mid-frame; a connection that lived through it has a
      // desynchronised CQL stream. Closing it makes the driver reconnect cleanly.
      if (toxic.type === 'timeout') await bounce(links, link);
    }
  },
  async heal(cluster) {
    await capability(cluster, 'links').reset();
  },
  async problems(cluster) {
    const listed = await capability(cluster, 'links').states();
    const out: string[] = [];
    for (const { name } of cluster.proxies) {
      const link = listed.find((p) => p.name === name);
      if (!link) out.push(`proxy ${name}: missing from Toxiproxy`);
      else {
        if (!link.enabled) out.push(`proxy ${name}: disabled`);
        if (link.toxics.length) out.push(`proxy ${name}: toxics left: ${link.toxics.join(', ')}`);
      }
    }
    return out;
  },
};
