import { describe, expect, it } from 'vitest';
import { bindNamed } from './named-params.ts';

describe('named parameters → positional markers', () => {
  it('replaces each :name by ? and lists the names in order, repeats included', () => {
    expect(bindNamed('UPDATE t USING TTL :ttl SET a = :owner WHERE id = :key IF a = :owner')).toEqual({
      cql: 'UPDATE t USING TTL ? SET a = ? WHERE id = ? IF a = ?',
      names: ['ttl', 'owner', 'key', 'owner'],
      positional: false,
    });
  });

  it('leaves colons inside string literals (quotes doubled included) alone, and notices a bare ?', () => {
    expect(bindNamed("INSERT INTO t (id, note) VALUES (:key, 'at 10:30, it''s :owner')")).toEqual({
      cql: "INSERT INTO t (id, note) VALUES (?, 'at 10:30, it''s :owner')",
      names: ['key'],
      positional: false,
    });
    expect(bindNamed("SELECT a FROM t WHERE id = ? AND b = '?'").positional).toBe(true);
    expect(bindNamed("SELECT a FROM t WHERE b = '?'").positional).toBe(false);
  });
});
