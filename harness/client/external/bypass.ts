// Whether an external client reaches Cassandra only through the contact point it was given.
// A driver left to itself discovers the other nodes from system.peers and connects to them
// directly: its requests then bypass the proxy whose link the nemesis cuts, and a cell would
// report "safe under cuts" for cuts the client never felt.
//
// The children run on this machine, so their sockets are visible in /proc: every second the
// watcher lists the TCP connections (established or being opened) of each child's process group
// and flags any to a Cassandra endpoint other than the child's own contact point — a node's own
// address or another node's proxy. This needs nothing from the cluster or the driver, and holds
// for every provider: whatever the cluster is, the client's sockets are here.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP endpoint as "a.b.c.d:port" (IPv4, or IPv6 in brackets). */
export type Endpoint = string;

/** TCP states that mean a connection is up or being opened (/proc/net/tcp `st`). */
const CONNECTING_OR_UP = new Set(['01', '02', '03']);

function hexToIpv4(hex: string): string {
  // /proc/net/tcp writes the address as one little-endian 32-bit number.
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
}

function hexToIpv6(hex: string): string {
  // Four little-endian 32-bit words; an IPv4-mapped address reads as plain IPv4.
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let i = 3; i >= 0; i--) bytes.push(parseInt(word.slice(i * 2, i * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `[${groups.join(':')}]`;
}

/** Remote endpoints of TCP sockets by inode, from one /proc/net/tcp{,6} table. */
export function parseTcpTable(text: string, v6: boolean): Map<string, Endpoint> {
  const out = new Map<string, Endpoint>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [, , remote, state, , , , , , inode] = f;
    if (!remote || !state || !inode || !CONNECTING_OR_UP.has(state)) continue;
    const [addr, port] = remote.split(':');
    if (!addr || !port) continue;
    out.set(inode, `${v6 ? hexToIpv6(addr) : hexToIpv4(addr)}:${parseInt(port, 16)}`);
  }
  return out;
}

/** Every process in process group `pgid` (the child and all it started). */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid pgrp ...
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      // Closed meanwhile.
    }
  }
  return out;
}

function readTable(pid: number, file: 'tcp' | 'tcp6'): string {
  try {
    return readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** Remote endpoints the process group `pgid` has TCP connections to (up or being opened). */
export function connectionsOf(pgid: number): Set<Endpoint> {
  const out = new Set<Endpoint>();
  for (const pid of groupMembers(pgid)) {
    const inodes = socketInodes(pid);
    if (inodes.size === 0) continue;
    for (const [table, v6] of [[readTable(pid, 'tcp'), false], [readTable(pid, 'tcp6'), true]] as const) {
      for (const [inode, remote] of parseTcpTable(table, v6)) if (inodes.has(inode)) out.add(remote);
    }
  }
  return out;
}

export interface Watched {
  /** How the report names it, e.g. "p3". */
  label: string;
  /** Its process group (the child's pid). */
  pgid: number;
  /** The endpoints it was given (its contact point, resolved). */
  allowed: ReadonlySet<Endpoint>;
}

/**
 * Watches children for connections to `cassandra` endpoints outside each child's `allowed`
 * ones. `found()` lists what it saw, one entry per client and endpoint, e.g. "p3 → 10.0.0.12:9042".
 */
export class BypassWatcher {
  private readonly watched = new Map<number, Watched>();
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cassandra: ReadonlySet<Endpoint>,
    private readonly everyMs = 1_000,
  ) {}

  watch(w: Watched): void {
    this.watched.set(w.pgid, w);
    this.look(w);
    this.timer ??= setInterval(() => this.sweep(), this.everyMs);
    this.timer.unref();
  }

  forget(pgid: number): void {
    const w = this.watched.get(pgid);
    if (w) this.look(w);
    this.watched.delete(pgid);
  }

  /** Looks once more at every child, then stops watching. */
  stop(): void {
    this.sweep();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  found(): string[] {
    return [...this.seen];
  }

  private sweep(): void {
    for (const w of this.watched.values()) this.look(w);
  }

  private look(w: Watched): void {
    for (const remote of connectionsOf(w.pgid)) {
      if (this.cassandra.has(remote) && !w.allowed.has(remote)) this.seen.add(`${w.label} → ${remote}`);
    }
  }
}
