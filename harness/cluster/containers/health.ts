// Reading Cassandra's own view of the ring (nodetool status) into node states.
import type { NodeState } from '../cluster.ts';

/** Parses `nodetool status` output into address -> two-letter status (UN, DN, UJ, ...). */
export function parseNodetoolStatus(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([UD][NLJM])\s+(\d{1,3}(?:\.\d{1,3}){3})\s/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/**
 * A node is UN when at least one node answered and every node that answered reports it UN;
 * a node nobody can ask about (all others down, itself stopped) is DN.
 */
export function combineViews(addresses: readonly string[], views: ReadonlyArray<ReadonlyMap<string, string>>): Map<string, NodeState> {
  const out = new Map<string, NodeState>();
  for (const a of addresses) {
    const seen = views.map((v) => v.get(a));
    out.set(a, views.length > 0 && seen.every((s) => s === 'UN') ? 'UN' : 'DN');
  }
  return out;
}
