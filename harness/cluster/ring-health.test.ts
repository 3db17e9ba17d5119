import { describe, expect, it } from 'vitest';
import { lookTimedOut, paxosProbe, ringProblems, type RingView } from './ring-health.ts';

const nodes = [
  { name: 'n1', address: '10.0.0.1' },
  { name: 'n2', address: '10.0.0.2' },
  { name: 'n3', address: '10.0.0.3' },
];

function healthy(node: string): RingView {
  return {
    node,
    bootstrapped: 'COMPLETED',
    localTokens: 1,
    schemaVersion: 's1',
    peers: nodes.filter((n) => n.name !== node).map((n) => ({ address: n.address, tokens: 1, schemaVersion: 's1' })),
    probeRf: 3,
  };
}

const all = () => nodes.map((n) => healthy(n.name));

describe('ringProblems', () => {
  it('is empty when every node sees every node normal, up, on one schema', () => {
    expect(ringProblems(nodes, all())).toEqual([]);
  });

  it('names a node that could not be asked, or was not asked', () => {
    const views = all();
    views[1] = { node: 'n2', error: 'connection refused' };
    expect(ringProblems(nodes, views)).toEqual(['n2: no CQL answer through its proxy (connection refused)']);
    expect(ringProblems(nodes, all().slice(0, 2))).toEqual(['n3: no CQL answer through its proxy']);
  });

  it('names a node whose Paxos round its peers do not answer (the read at SERIAL timed out)', () => {
    const views = all();
    views[2]!.serialReadError = 'Server timeout during read query at consistency SERIAL (1 replica(s) responded over 2 required)';
    expect(ringProblems(nodes, views)).toEqual([
      'n3: cannot complete a Paxos round (read at SERIAL: Server timeout during read query at consistency SERIAL (1 replica(s) responded over 2 required))',
    ]);
  });

  it('names a node that sees another down (the read at ALL refused)', () => {
    const views = all();
    views[0]!.allReadError = 'Cannot achieve consistency level ALL';
    expect(ringProblems(nodes, views)).toEqual(['n1: does not see every node up (read at ALL: Cannot achieve consistency level ALL)']);
  });

  it('names a missing peer, a peer without tokens, and a node not joined', () => {
    const views = all();
    views[0]!.peers = views[0]!.peers!.filter((p) => p.address !== '10.0.0.3');
    views[1]!.peers = views[1]!.peers!.map((p) => (p.address === '10.0.0.1' ? { ...p, tokens: 0 } : p));
    views[2]!.bootstrapped = 'IN_PROGRESS';
    expect(ringProblems(nodes, views)).toEqual([
      'n1: does not know n3 (10.0.0.3) as a peer',
      'n2: knows no token of n1 (not normal)',
      'n3: has not finished joining (bootstrapped IN_PROGRESS)',
    ]);
  });

  it('reports schema disagreement, whether a node or its view of a peer differs', () => {
    const views = all();
    views[2]!.schemaVersion = 's2';
    expect(ringProblems(nodes, views)).toEqual(['schema disagreement: 2 schema versions among the nodes']);
    const peerView = all();
    peerView[0]!.peers![0]!.schemaVersion = 's0';
    expect(ringProblems(nodes, peerView)).toEqual(['schema disagreement: 2 schema versions among the nodes']);
  });

  it('does not trust a read at ALL on a keyspace that does not reach every node', () => {
    const views = all();
    views[0]!.probeRf = 2;
    views[1]!.probeRf = Number.NaN;
    expect(ringProblems(nodes, views)).toEqual([
      'n1: system_distributed is not replicated to every node (replication_factor 2)',
      'n2: system_distributed is not replicated to every node (replication_factor NaN)',
    ]);
  });
});

describe('paxosProbe', () => {
  it('gives each node a partition of its own, keyed by a version-1 UUID', () => {
    const keys = [0, 1, 2, 15].map((place) => /parent_id = ([0-9a-f-]+)$/.exec(paxosProbe(place))![1]!);
    expect(new Set(keys).size).toBe(4);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('lookTimedOut', () => {
  it('tells a look nobody answered in time from one answered "not yet"', () => {
    // The first lines the driver gives, as ringProblems wraps them (seen starting a cluster).
    const driver = 'n1: no CQL answer through its proxy (All host(s) tried for query failed. First host tried, 127.0.0.1:32806: OperationTimedOutError: The host 127.0.0.1:32806 did not reply before timeout 1000 ms)';
    const server = 'n2: cannot complete a Paxos round (read at SERIAL: Operation timed out - received only 1 responses.)';
    const notYet = 'n3: does not see every node up (read at ALL: Not enough replicas available for query at consistency ALL (3 required but only 2 alive))';
    expect(lookTimedOut([notYet, driver])).toBe(true);
    expect(lookTimedOut([server])).toBe(true);
    expect(lookTimedOut([notYet, 'n1: does not know n2 (172.29.77.12) as a peer'])).toBe(false);
    expect(lookTimedOut([])).toBe(false);
  });
});
