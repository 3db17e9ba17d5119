// Reported writes as statement records: the torn-row checker judges an external client's rows
// from them exactly as it judges lockstorm's own recipes.
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../../checkers/lock/analyze.ts';
import type { HistoryEvent, LockOp, ReadValue } from '../../../history/index.ts';
import { parseTcpTable } from './bypass.ts';
import { statementsFor, ReportedTables, type WriteOutcome } from './writes.ts';
import type { ReportedWrite } from './protocol.ts';

const flag = (key: string, lock: boolean, revision: number): ReportedWrite => ({ table: 'flag_locks', key, cells: { lock, revision }, timestamp: null, ttl: lock ? 20 : null });

function history(rowSeen: Record<string, boolean | number>): HistoryEvent[] {
  const tables = new ReportedTables();
  const events: HistoryEvent[] = [{ index: 0, time: 0, type: 'meta', recipe: 'java-incident', params: {} }];
  const add = (op: LockOp, outcome: WriteOutcome, writes: ReportedWrite[], value?: ReadValue) => {
    const statements = statementsFor(op, writes, outcome, value, tables);
    const t = events.length * 10;
    events.push({ index: events.length, time: t, type: 'invoke', process: 0, ...op } as HistoryEvent);
    events.push({ index: events.length, time: t + 5, type: 'ok', process: 0, ...op, ...(value ? { value } : {}), ...(statements ? { statements } : {}) } as HistoryEvent);
  };
  add({ f: 'acquire', key: 'k0', owner: 'p0-1' }, 'applied', [flag('k0', true, 2)]);
  add({ f: 'release', key: 'k0', owner: 'p0-1' }, 'applied', [flag('k0', false, 3)]);
  add({ f: 'read', key: 'k0' }, 'applied', [], { state: 'free', owner: null, row: rowSeen });
  events.push({ index: events.length, time: 1000, type: 'end', status: 'complete' });
  return events;
}

describe('reported writes', () => {
  it('a row made of whole reported writes is not torn; one mixing two writes is', () => {
    expect(analyzeHistory(history({ lock: false, revision: 3 })).anomalies).toEqual([]);
    const torn = analyzeHistory(history({ lock: true, revision: 3 })).anomalies;
    expect(torn.map((a) => a.kind)).toEqual(['torn-row']);
    expect(torn[0]!.explanation).toContain('lock = true from the acquire of p0-1');
  });

  it('a write with no cells is the row deleted; a name outside the CQL subset is left out', () => {
    const tables = new ReportedTables();
    const del = statementsFor({ f: 'release', key: 'k1', owner: 'p1-0' }, [{ table: 'lwt_locks', key: 'k1', cells: {}, timestamp: null, ttl: null }], 'error', undefined, tables);
    expect(del).toEqual([
      { kind: 'write', cql: 'DELETE FROM lwt_locks WHERE id = ?', params: ['k1'], cl: 'unknown', timestamp: null, ttl: null, outcome: 'error', error: 'reported by the client as indeterminate' },
    ]);
    expect(statementsFor({ f: 'acquire', key: 'k1', owner: 'p1-1' }, [{ table: 'my-locks', key: 'k1', cells: { owner: 'p1-1' }, timestamp: null, ttl: null }], 'applied', undefined, tables)).toBeUndefined();
  });
});

describe('/proc/net/tcp', () => {
  it('reads remote endpoints of established and opening sockets, IPv4 and IPv4-mapped IPv6', () => {
    const v4 = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:A1B2 0B00A8C0:2352 01 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 20 4 30 10 -1',
      '   1: 0100007F:A1B3 0C00A8C0:2352 0A 00000000:00000000 00:00000000 00000000     0        0 112 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect([...parseTcpTable(v4, false)]).toEqual([['111', '192.168.0.11:9042']]);
    const v6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0000000000000000FFFF00000100007F:D2F0 0000000000000000FFFF00000100007F:8032 02 00000000:00000000 00:00000000 00000000     0        0 113 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect([...parseTcpTable(v6, true)]).toEqual([['113', '127.0.0.1:32818']]);
  });
});
