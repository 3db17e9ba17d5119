import { describe, expect, it } from 'vitest';
import { newestStamp, targetOfWrite, tieStamp, TieModeError, writetimeRead, type TableShape } from './tie.ts';

const shapes: Record<string, TableShape> = {
  flag_locks: { primaryKey: ['id'], regular: ['lock', 'revision'] },
  lwt_locks: { primaryKey: ['id'], regular: ['owner'] },
  events: { primaryKey: ['day', 'seq'], regular: ['what'] },
};
const shapeOf = async (t: string) => shapes[t]!;

describe('tie mode', () => {
  it("finds the row of each recipe's plain writes from the statement", async () => {
    const update = await targetOfWrite('UPDATE flag_locks SET lock = false, revision = ? WHERE id = ?', [7, 'k1'], shapeOf);
    expect(writetimeRead(update.target, update.shape)).toEqual({
      cql: 'SELECT writetime(lock) AS w0, writetime(revision) AS w1 FROM flag_locks WHERE id = ?',
      params: ['k1'],
    });
    const del = await targetOfWrite('DELETE FROM lwt_locks WHERE id = ?', ['k2'], shapeOf);
    expect(del.target.key).toEqual(new Map([['id', 'k2']]));
    const insert = await targetOfWrite('INSERT INTO events (seq, what, day) VALUES (?, ?, 3)', [9, 'x'], shapeOf);
    expect(insert.target.key).toEqual(new Map([['day', 3], ['seq', 9]]));
    const ttl = await targetOfWrite('UPDATE ks.lwt_locks USING TTL ? SET owner = ? WHERE id = ? IF owner = ?', [5, 'p1', 'k3', 'p0'], shapeOf);
    expect(ttl.target).toEqual({ table: 'lwt_locks', key: new Map([['id', 'k3']]) });
  });

  it('stamps with the newest of the row, or leaves the write alone for a row without live cells', async () => {
    expect(await tieStamp('DELETE FROM flag_locks WHERE id = ?', ['k'], shapeOf, async () => ({ w0: 10, w1: 12 }))).toBe(12);
    expect(await tieStamp('DELETE FROM flag_locks WHERE id = ?', ['k'], shapeOf, async () => null)).toBeNull();
    expect(newestStamp({ w0: null, w1: null })).toBeNull();
  });

  it('refuses loudly a write whose row it cannot tell', async () => {
    await expect(targetOfWrite('BEGIN BATCH APPLY BATCH', [], shapeOf)).rejects.toThrow(TieModeError);
    await expect(targetOfWrite('DELETE FROM events WHERE day = ?', [1], shapeOf)).rejects.toThrow(/no value for key column seq/);
    await expect(targetOfWrite('UPDATE lwt_locks SET owner = ? WHERE id IN (?, ?)', ['a', 'b', 'c'], shapeOf)).rejects.toThrow(TieModeError);
  });
});
