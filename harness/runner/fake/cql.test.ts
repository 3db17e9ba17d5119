import { describe, expect, it } from 'vitest';
import { parseCql, UnsupportedCqlError } from './cql.ts';

describe('parseCql', () => {
  it("reads each shape the recipes send, numbering parameters in the statement's order", () => {
    expect(parseCql('UPDATE flag_locks USING TTL ? SET lock = true, revision = ? WHERE id = ? IF lock = false')).toEqual({
      kind: 'update',
      table: 'flag_locks',
      ttl: { param: 0 },
      set: [
        { column: 'lock', term: { literal: true } },
        { column: 'revision', term: { param: 1 } },
      ],
      where: { column: 'id', term: { param: 2 } },
      condition: { column: 'lock', op: '=', term: { literal: false } },
    });
    // The guarded record's fenced write: an ordering condition.
    expect(parseCql('UPDATE guarded SET counter = ?, fence = ? WHERE id = ? IF fence <= ?')).toMatchObject({
      kind: 'update',
      where: { column: 'id', term: { param: 2 } },
      condition: { column: 'fence', op: '<=', term: { param: 3 } },
    });
    expect(parseCql('INSERT INTO flag_locks (id, lock, revision) VALUES (?, true, ?) IF NOT EXISTS USING TTL ?')).toMatchObject({
      kind: 'insert',
      ifNotExists: true,
      ttl: { param: 2 },
      values: [{ column: 'id', term: { param: 0 } }, { column: 'lock', term: { literal: true } }, { column: 'revision', term: { param: 1 } }],
    });
    expect(parseCql('INSERT INTO wtd_locks (id, owner) VALUES (?, ?) USING TTL ?')).toMatchObject({ kind: 'insert', ifNotExists: false });
    expect(parseCql('DELETE FROM lwt_locks WHERE id = ? IF owner = ?')).toMatchObject({ kind: 'delete', condition: { column: 'owner', term: { param: 1 } } });
    expect(parseCql('SELECT lock, writetime(lock) AS lock_ts, ttl(revision) FROM flag_locks WHERE id = ?')).toMatchObject({
      kind: 'select',
      items: [
        { fn: 'value', column: 'lock', as: 'lock' },
        { fn: 'writetime', column: 'lock', as: 'lock_ts' },
        { fn: 'ttl', column: 'revision', as: 'ttl(revision)' },
      ],
    });
    expect(parseCql('CREATE TABLE ks.t (id text PRIMARY KEY, n bigint)')).toMatchObject({ kind: 'create', table: 't', key: 'id' });
  });

  it('refuses anything else, quoting the statement', () => {
    for (const cql of [
      'SELECT * FROM t WHERE id = ?',
      'SELECT owner FROM t WHERE id = ? AND x = ?',
      'UPDATE t SET a = a + 1 WHERE id = ?',
      'DELETE owner FROM t WHERE id = ?',
      'INSERT INTO t (id) VALUES (?) IF EXISTS',
      'BEGIN BATCH INSERT INTO t (id) VALUES (?) APPLY BATCH',
      'CREATE TABLE t (id text, c text, PRIMARY KEY (id, c))',
      'CREATE TABLE t (id uuid PRIMARY KEY)',
      // Reserved words Cassandra answers with a syntax error.
      'SELECT owner, writetime(owner) AS token FROM t WHERE id = ?',
      'CREATE TABLE t (id text PRIMARY KEY, token bigint)',
    ]) {
      expect(() => parseCql(cql), cql).toThrow(UnsupportedCqlError);
      expect(() => parseCql(cql)).toThrow(cql);
    }
  });
});
