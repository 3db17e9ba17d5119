import type cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { waitForSchemaOnEveryNode } from './driver.ts';

/** A client pinned to one node, whose system.local says each of `versions` in turn, then the last for good. */
function nodeSaying(...versions: string[]): { client: cassandra.Client; looks: () => number } {
  let looks = 0;
  const execute = async () => {
    const v = versions[Math.min(looks++, versions.length - 1)];
    return { first: () => ({ get: () => v }) };
  };
  return { client: { execute } as unknown as cassandra.Client, looks: () => looks };
}

describe('waitForSchemaOnEveryNode', () => {
  it('asks every node until all run one version that is not the one before, and no longer', async () => {
    const n1 = nodeSaying('v2');
    const n2 = nodeSaying('v0', 'v1', 'v2');
    const n3 = nodeSaying('v0', 'v2');
    await waitForSchemaOnEveryNode([n1.client, n2.client, n3.client], 'v0', 5_000);
    expect([n1.looks(), n2.looks(), n3.looks()]).toEqual([3, 3, 3]);
  });

  it('does not take nodes that all still run the version before the change for agreement', async () => {
    const nodes = [nodeSaying('v0', 'v0', 'v1'), nodeSaying('v0', 'v0', 'v1')];
    await waitForSchemaOnEveryNode(nodes.map((n) => n.client), 'v0', 5_000);
    expect(nodes.map((n) => n.looks())).toEqual([3, 3]);
  });

  it('says so, with each node’s version, when they do not converge in time', async () => {
    const nodes = [nodeSaying('v1'), nodeSaying('v0')];
    await expect(waitForSchemaOnEveryNode(nodes.map((n) => n.client), 'v0', 1_000)).rejects.toThrow(
      'the nodes did not all apply the schema change within 1 s (versions v1, v0)',
    );
    expect(nodes[1]!.looks()).toBeGreaterThan(1);
  });
});
