import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../anomaly.ts';
import type { HistoryEvent } from '../../history/index.ts';
import { validateEvent } from '../../history/index.ts';
import { withReplicaRows, type AnomalyWithReplicas } from './replica-rows.ts';

const ghost: Anomaly = { kind: 'ghost-lock', key: 'k0', owners: ['p1-0'], witness: [1], explanation: 'x' };
const double: Anomaly = { kind: 'double-holder', key: 'k0', owners: ['a', 'b'], witness: [1], explanation: 'x' };
const held = { state: 'held' as const, owner: 'p1-0', row: { owner: 'p1-0', owner_ts: 5 } };

function events(...lines: object[]): HistoryEvent[] {
  return lines.map((l, index) => {
    const r = validateEvent({ index, time: index, ...l });
    if (!r.ok) throw new Error(r.problem);
    return r.event;
  });
}

describe('replica rows on an anomaly', () => {
  it("shows the seed's A[Lock], B[Lock], C[] and which levels see the lock", () => {
    const h = events(
      { type: 'forensic', key: 'k0', node: 'n1', cl: 'ONE', value: held },
      { type: 'forensic', key: 'k0', node: 'n2', cl: 'ONE', value: held },
      { type: 'forensic', key: 'k0', node: 'n3', cl: 'ONE', value: { state: 'free', owner: null, row: null } },
    );
    const [a, d] = withReplicaRows([ghost, double], h) as AnomalyWithReplicas[];
    expect(a!.replica_rows).toEqual({ n1: held.row, n2: held.row, n3: null });
    expect(a!.replica_notation).toBe('n1[Lock p1-0], n2[Lock p1-0], n3[]');
    expect(a!.seen_at!.ONE).toBe('through n1, n2 (2 of 3 replicas)');
    expect(a!.seen_at!.QUORUM).toMatch(/^1 of 3 replica pairs \(n1\+n2\)/);
    expect(a!.seen_at!.ALL).toMatch(/^no/);
    // Not a forensic kind: left as it was.
    expect(d).toEqual(double);
  });

  it('keeps a replica that did not answer apart from one that holds no row', () => {
    const h = events(
      { type: 'forensic', key: 'k0', node: 'n1', cl: 'ONE', value: held },
      { type: 'forensic', key: 'k0', node: 'n2', cl: 'ONE', error: 'ReadTimeout' },
      { type: 'forensic', key: 'k0', node: 'n3', cl: 'ONE', value: { state: 'free', owner: null, row: null } },
    );
    const [a] = withReplicaRows([ghost], h) as AnomalyWithReplicas[];
    expect(a!.replica_rows).toEqual({ n1: held.row, n3: null });
    expect(a!.replica_errors).toEqual({ n2: 'ReadTimeout' });
    expect(a!.replica_notation).toBe('n1[Lock p1-0], n2[?], n3[]');
    expect(a!.seen_at!.ONE).toContain('1 replica(s) did not answer');
  });

  it('says the replicas were not read, and why, rather than showing none', () => {
    const [a] = withReplicaRows([ghost], events({ type: 'forensic', key: 'k0', not_taken: 'no net capability' })) as AnomalyWithReplicas[];
    expect(a).toMatchObject({ forensics_not_taken: 'no net capability' });
    expect(a!.replica_rows).toBeUndefined();
    const [b] = withReplicaRows([ghost], []) as AnomalyWithReplicas[];
    expect(b!.forensics_not_taken).toMatch(/no replica of this key was read/);
  });

  it('refuses a forensic line with both a row and an error, or a replica read without its node', () => {
    expect(validateEvent({ index: 0, time: 0, type: 'forensic', key: 'k0', node: 'n1', value: held, error: 'x' })).toMatchObject({ ok: false });
    expect(validateEvent({ index: 0, time: 0, type: 'forensic', key: 'k0', value: held })).toMatchObject({ ok: false, problem: expect.stringContaining('node') });
  });
});
