import { describe, expect, it } from 'vitest';
import { combineViews, parseNodetoolStatus } from './health.ts';

const STATUS = `Datacenter: datacenter1
=======================
Status=Up/Down
|/ State=Normal/Leaving/Joining/Moving
--  Address       Load        Tokens  Owns (effective)  Host ID                               Rack
UN  172.29.77.11  106.04 KiB  1       100.0%            8900fa0f-b844-42ac-b33a-03267e187018  rack1
DN  172.29.77.12  72.49 KiB   1       100.0%            bcaec5d7-5e2e-49a3-a016-a4c3484d2efb  rack1
UJ  172.29.77.13  61.86 KiB   1       100.0%            aaab644b-d65b-4851-89ec-72c8742dff82  rack1
`;

describe('node states from nodetool status', () => {
  it('parses each ring line into address and status', () => {
    expect([...parseNodetoolStatus(STATUS)]).toEqual([
      ['172.29.77.11', 'UN'],
      ['172.29.77.12', 'DN'],
      ['172.29.77.13', 'UJ'],
    ]);
  });

  it('calls a node UN only when every answering node sees it UN', () => {
    const a = new Map([['x', 'UN'], ['y', 'UN'], ['z', 'UN']]);
    const b = new Map([['x', 'UN'], ['y', 'DN'], ['z', 'UN']]);
    expect([...combineViews(['x', 'y', 'z'], [a, b])]).toEqual([['x', 'UN'], ['y', 'DN'], ['z', 'UN']]);
  });

  it('calls every node DN when no node answered', () => {
    expect([...combineViews(['x'], [])]).toEqual([['x', 'DN']]);
  });
});
