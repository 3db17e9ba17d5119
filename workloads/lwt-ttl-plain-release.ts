// The second incident: a flag-and-revision lock. Acquire is a lightweight transaction that
// creates the row with a TTL; release is a plain UPDATE that clears the flag and records the
// revision, cheaper than a second Paxos round.
//
// The acquire's cells carry the Paxos ballot's timestamp and a TTL; the release's cells carry the
// client's timestamp and none. When the two timestamps tie, Cassandra reconciles cell by cell:
// before 4.0 the larger value won each cell, leaving a row half acquire, half release (a torn
// row); 5.0 lets the expiring cell win, so a tied release loses whole, as does one stamped behind
// the ballot, and the lock stays held until its TTL (docs/nemesis.md has the runs).
//
// A released row still exists (lock = false), so INSERT IF NOT EXISTS alone would never succeed
// again: like the incident's code, acquire falls back to flipping a released flag under Paxos.
// The revision names the owner (its token as a number, n): acquire writes 2n and release 2n + 1,
// a bump like the incident's revision 1 → 2, so a row mixing the two writes' cells is visible.

import { numberToToken, tokenToNumber, type Recipe, type Row } from './recipe.ts';
import type { ReadValue } from '../history/index.ts';

function flagValue(row: Row | null): ReadValue {
  const revision = row?.['revision'];
  const owner = typeof revision === 'number' ? numberToToken(Math.floor(revision / 2)) : null;
  if (row?.['lock'] === true) return { state: 'held', owner, row };
  return { state: 'free', owner: null, row };
}

export const lwtTtlPlainRelease: Recipe = {
  name: 'lwt-ttl-plain-release',
  summary: 'INSERT … IF NOT EXISTS USING TTL to acquire, plain UPDATE lock = false to release',
  table: 'flag_locks',
  schema: (ks) => [`CREATE TABLE ${ks}.flag_locks (id text PRIMARY KEY, lock boolean, revision bigint)`],

  async acquire(x, key, owner, s) {
    const revision = 2 * tokenToNumber(owner);
    const created = await x.cas(
      'INSERT INTO flag_locks (id, lock, revision) VALUES (?, true, ?) IF NOT EXISTS USING TTL ?',
      [key, revision, s.ttlSeconds],
    );
    if (created.applied) return { acquired: true };
    if (created.row?.['lock'] !== false) return { acquired: false, saw: flagValue(created.row) };
    const flipped = await x.cas(
      'UPDATE flag_locks USING TTL ? SET lock = true, revision = ? WHERE id = ? IF lock = false',
      [s.ttlSeconds, revision, key],
    );
    return flipped.applied ? { acquired: true } : { acquired: false, saw: flagValue(flipped.row) };
  },

  async release(x, key, owner) {
    await x.write('UPDATE flag_locks SET lock = false, revision = ? WHERE id = ?', [2 * tokenToNumber(owner) + 1, key]);
    return { released: true };
  },

  async read(x, key) {
    const row = await x.read(
      'SELECT lock, revision, writetime(lock) AS lock_ts, writetime(revision) AS revision_ts, ' +
        'ttl(lock) AS lock_ttl, ttl(revision) AS revision_ttl FROM flag_locks WHERE id = ?',
      [key],
      'read',
    );
    return flagValue(row);
  },

  // Acquire writes both cells together and so does release: a row with exactly one of them is torn.
  rowIsReachable: (row) =>
    row === null || (typeof row['lock'] === 'boolean' && typeof row['revision'] === 'number'),

  // As lwt's: the ballot of the LWT that wrote this owner's revision (both acquire paths are LWTs).
  async fenceToken(x, key, owner) {
    const row = await x.read('SELECT lock, revision, writetime(revision) AS fence_token FROM flag_locks WHERE id = ?', [key], 'serial');
    const mine = row?.['lock'] === true && row['revision'] === 2 * tokenToNumber(owner);
    return mine && typeof row['fence_token'] === "number" ? row['fence_token'] : null;
  },
};
