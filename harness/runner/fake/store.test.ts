import { describe, expect, it } from 'vitest';
import { MemoryStore } from './store.ts';

function store() {
  const clock = { now: 1_000_000, nowMs: () => clock.now };
  const s = new MemoryStore(clock);
  s.execute('CREATE TABLE t (id text PRIMARY KEY, a text, b bigint)', []);
  const row = () => {
    const r = s.execute('SELECT a, b, writetime(a) AS a_ts, ttl(a) AS a_ttl FROM t WHERE id = ?', ['k']);
    return r.kind === 'rows' ? r.row : undefined;
  };
  return { s, clock, row };
}

describe('MemoryStore reconciliation (Cassandra 4.0+)', () => {
  it('takes the larger timestamp whatever the arrival order', () => {
    const { s, row } = store();
    s.execute('UPDATE t SET a = ? WHERE id = ?', ['new', 'k'], 20);
    s.execute('UPDATE t SET a = ? WHERE id = ?', ['old', 'k'], 10);
    expect(row()).toMatchObject({ a: 'new', a_ts: 20 });
  });

  it('on equal timestamps: tombstone beats expiring beats live', () => {
    const a = store();
    a.s.execute('INSERT INTO t (id, a) VALUES (?, ?) USING TTL ?', ['k', 'expiring', 60], 10);
    a.s.execute('UPDATE t SET a = ? WHERE id = ?', ['zzz-live', 'k'], 10);
    expect(a.row()).toMatchObject({ a: 'expiring', a_ttl: 60 });
    a.s.execute('DELETE FROM t WHERE id = ?', ['k'], 10);
    expect(a.row()).toBeNull();

    const b = store();
    b.s.execute('UPDATE t SET a = ? WHERE id = ?', ['zzz-live', 'k'], 10);
    b.s.execute('UPDATE t USING TTL ? SET a = ? WHERE id = ?', [60, 'expiring', 'k'], 10);
    expect(b.row()).toMatchObject({ a: 'expiring' });
  });

  it('then the later expiry, then the larger value', () => {
    const { s, row } = store();
    s.execute('UPDATE t USING TTL ? SET a = ? WHERE id = ?', [90, 'long', 'k'], 10);
    s.execute('UPDATE t USING TTL ? SET a = ? WHERE id = ?', [30, 'zzz-short', 'k'], 10);
    expect(row()).toMatchObject({ a: 'long' });
    s.execute('UPDATE t SET b = ? WHERE id = ?', [5, 'k'], 40);
    s.execute('UPDATE t SET b = ? WHERE id = ?', [7, 'k'], 40);
    s.execute('UPDATE t SET b = ? WHERE id = ?', [6, 'k'], 40);
    expect(row()).toMatchObject({ b: 7 });
  });

  it('a row deletion shadows everything stamped at or before it, later writes survive', () => {
    const { s, row } = store();
    s.execute('DELETE FROM t WHERE id = ?', ['k'], 50);
    s.execute('INSERT INTO t (id, a) VALUES (?, ?)', ['k', 'late'], 40);
    expect(row()).toBeNull();
    s.execute('UPDATE t SET a = ? WHERE id = ?', ['after', 'k'], 51);
    expect(row()).toMatchObject({ a: 'after', b: null });
  });

  it('expires cells and INSERT row markers on the injected clock; an INSERT row outlives its null cells', () => {
    const { s, clock, row } = store();
    s.execute('INSERT INTO t (id, a) VALUES (?, ?) USING TTL ?', ['k', 'x', 10], 1);
    clock.now += 9_500;
    expect(row()).toMatchObject({ a: 'x', a_ttl: 1 });
    clock.now += 500;
    expect(row()).toBeNull();
    s.execute('INSERT INTO t (id) VALUES (?)', ['k'], 2);
    expect(row()).toEqual({ a: null, b: null, a_ts: null, a_ttl: null });
  });

  it('runs LWTs linearly: conditions on the current row, ballots after every earlier one', () => {
    const { s, row } = store();
    expect(s.execute('INSERT INTO t (id, a) VALUES (?, ?) IF NOT EXISTS', ['k', 'p1'])).toEqual({ kind: 'cas', applied: true, row: null });
    expect(s.execute('INSERT INTO t (id, a) VALUES (?, ?) IF NOT EXISTS', ['k', 'p2'])).toEqual({ kind: 'cas', applied: false, row: { id: 'k', a: 'p1', b: null } });
    expect(s.execute('DELETE FROM t WHERE id = ? IF a = ?', ['k', 'p2'])).toEqual({ kind: 'cas', applied: false, row: { a: 'p1' } });
    expect(s.execute('UPDATE t SET b = ? WHERE id = ? IF a = ?', [3, 'nobody', 'p1'])).toEqual({ kind: 'cas', applied: false, row: null });
    expect(s.execute('DELETE FROM t WHERE id = ? IF a = ?', ['k', 'p1'])).toMatchObject({ applied: true });
    expect(row()).toBeNull();
  });

  it('orders LWT conditions (a fence): applied at or above the stored value, never against a missing cell', () => {
    const { s } = store();
    const fenced = (token: number) => s.execute('UPDATE t SET b = ? WHERE id = ? IF b <= ?', [token, 'k', token]);
    expect(fenced(5)).toEqual({ kind: 'cas', applied: false, row: null });
    s.execute('INSERT INTO t (id, b) VALUES (?, ?) IF NOT EXISTS', ['k', 0]);
    expect(fenced(5)).toMatchObject({ applied: true });
    expect(fenced(5)).toMatchObject({ applied: true });
    expect(fenced(4)).toEqual({ kind: 'cas', applied: false, row: { b: 5 } });
    expect(s.execute('DELETE FROM t WHERE id = ? IF b > ?', ['k', 5])).toMatchObject({ applied: false });
    expect(s.execute('DELETE FROM t WHERE id = ? IF b >= ?', ['k', 5])).toMatchObject({ applied: true });
  });

  it('refuses unknown tables and columns', () => {
    const { s } = store();
    expect(() => s.execute('SELECT a FROM nope WHERE id = ?', ['k'])).toThrow(/table nope does not exist/);
    expect(() => s.execute('UPDATE t SET zz = ? WHERE id = ?', [1, 'k'])).toThrow(/no column zz/);
  });
});
