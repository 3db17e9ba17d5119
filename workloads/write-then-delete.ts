// The first incident: a lock built from plain reads and writes. Acquire reads the key and, if
// nobody holds it, writes itself in; release deletes the row. Any error during acquire makes
// the caller delete the row "to be safe", which deletes whoever holds it by then.
//
// Nothing makes the read and the write one step, and a timed-out INSERT may still land after
// the DELETE that was meant to undo it: so two holders, resurrected locks and orphaned locks.

import { ownerValue, type Recipe } from './recipe.ts';

export const writeThenDelete: Recipe = {
  name: 'write-then-delete',
  summary: 'read the key, INSERT the owner if free; DELETE on release and after any acquire error',
  table: 'wtd_locks',
  schema: (ks) => [`CREATE TABLE ${ks}.wtd_locks (id text PRIMARY KEY, owner text)`],
  // The caller's "to be safe" clean-up: delete the row, recorded as a release of the same token.
  afterAcquireError: (key, owner) => [{ op: { f: 'release', key, owner } }],

  async acquire(x, key, owner, s) {
    const current = ownerValue(await x.read('SELECT owner FROM wtd_locks WHERE id = ?', [key], 'read'));
    if (current.state === 'held') return { acquired: false, saw: current };
    await x.write('INSERT INTO wtd_locks (id, owner) VALUES (?, ?) USING TTL ?', [key, owner, s.ttlSeconds]);
    return { acquired: true };
  },

  async release(x, key) {
    await x.write('DELETE FROM wtd_locks WHERE id = ?', [key]);
    return { released: true };
  },

  async read(x, key) {
    return ownerValue(await x.read('SELECT owner, writetime(owner) AS owner_ts FROM wtd_locks WHERE id = ?', [key], 'read'));
  },

  // The only column is the owner: any row this recipe writes has one.
  rowIsReachable: (row) => row === null || typeof row['owner'] === 'string',
};
