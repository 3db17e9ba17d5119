// What one fault window does, fully decided by the schedule before it starts, so a recorded
// window can be replayed exactly. One discriminated union; each family module handles its own.

import type { NodeName } from '../cluster/cluster.ts';

export const faultNamesByFamily = {
  link: ['reply-lost', 'request-lost', 'reset', 'latency', 'link-down'],
  node: ['kill', 'pause', 'restart'],
  partition: ['partition-isolate', 'partition-majority', 'partition-bridge'],
  clock: ['clock-skew'],
} as const;

export type FamilyName = keyof typeof faultNamesByFamily;
export type LinkFaultName = (typeof faultNamesByFamily.link)[number];
export type NodeFaultName = (typeof faultNamesByFamily.node)[number];
export type PartitionFaultName = (typeof faultNamesByFamily.partition)[number];
export type FaultName = (typeof faultNamesByFamily)[FamilyName][number];

export const familyNames = Object.keys(faultNamesByFamily) as FamilyName[];
export const allFaultNames: readonly FaultName[] = familyNames.flatMap((f) => faultNamesByFamily[f]);

export type Stream = 'upstream' | 'downstream';

/** Client-link cuts through Toxiproxy; `targets` are the proxies (named after their nodes). */
export type LinkFault =
  | { family: 'link'; name: 'reply-lost' | 'request-lost' | 'link-down'; targets: NodeName[] }
  | { family: 'link'; name: 'reset'; targets: NodeName[]; stream: Stream }
  | { family: 'link'; name: 'latency'; targets: NodeName[]; latencyMs: number };

/** One node killed (-9), frozen, or stopped gracefully; the window's end brings it back. */
export interface NodeFault {
  family: 'node';
  name: NodeFaultName;
  targets: [NodeName];
}

/**
 * Inter-node partition. `cuts` lists every unordered pair of nodes that must not hear each other;
 * `groups` is the human-readable shape (for a bridge, the bridge node sits in both groups).
 * `targets` are the nodes on the minority side (for a bridge: the bridge node).
 */
export interface PartitionFault {
  family: 'partition';
  name: PartitionFaultName;
  targets: NodeName[];
  groups: NodeName[][];
  cuts: [NodeName, NodeName][];
}

/** Wall-clock offsets written to the targets' libfaketime files; the others stay at +0. */
export interface ClockFault {
  family: 'clock';
  name: 'clock-skew';
  targets: NodeName[];
  offsetsMs: Record<string, number>;
}

export type Fault = LinkFault | NodeFault | PartitionFault | ClockFault;

export function familyOf(name: FaultName): FamilyName {
  for (const family of familyNames) {
    if ((faultNamesByFamily[family] as readonly string[]).includes(name)) return family;
  }
  throw new Error(`unknown fault ${name}`);
}
