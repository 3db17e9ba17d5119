// The recommended recipe: every step is a lightweight transaction, so acquire and release are
// ordered by Paxos and a release can only remove the releasing owner's own lock. Reads are
// Paxos reads too (SERIAL or LOCAL_SERIAL, never mixed), so they see every committed round.

import { ownerValue, type Recipe } from './recipe.ts';

export const lwt: Recipe = {
  name: 'lwt',
  summary: 'INSERT owner IF NOT EXISTS USING TTL to acquire, DELETE IF owner = ? to release, SERIAL reads',
  table: 'lwt_locks',
  schema: (ks) => [`CREATE TABLE ${ks}.lwt_locks (id text PRIMARY KEY, owner text)`],

  async acquire(x, key, owner, s) {
    const r = await x.cas('INSERT INTO lwt_locks (id, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?', [
      key,
      owner,
      s.ttlSeconds,
    ]);
    return r.applied ? { acquired: true } : { acquired: false, saw: ownerValue(r.row) };
  },

  async release(x, key, owner) {
    const r = await x.cas('DELETE FROM lwt_locks WHERE id = ? IF owner = ?', [key, owner]);
    return r.applied ? { released: true } : { released: false, saw: ownerValue(r.row) };
  },

  async read(x, key) {
    return ownerValue(await x.read('SELECT owner FROM lwt_locks WHERE id = ?', [key], 'serial'));
  },

  rowIsReachable: (row) => row === null || typeof row['owner'] === 'string',

  // The acquire's own Paxos ballot: its commit stamps the row with the ballot's microseconds, and
  // each successful round on a partition takes a ballot above every earlier one. Read with the
  // owner at SERIAL, so it is only handed out while this owner's row is the committed one.
  async fenceToken(x, key, owner) {
    const row = await x.read('SELECT owner, writetime(owner) AS fence_token FROM lwt_locks WHERE id = ?', [key], 'serial');
    return row?.['owner'] === owner && typeof row['fence_token'] === "number" ? row['fence_token'] : null;
  },
};
