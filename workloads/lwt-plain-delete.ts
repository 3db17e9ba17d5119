// Paxos to take the lock, a plain DELETE to give it back: what many users write once they learn
// that acquire must be a lightweight transaction but reason that release need not be ("only the
// holder ever releases, so there is no race", and it saves a Paxos round per lock).
//
// Both halves of that reasoning fail. The DELETE carries the client's timestamp while the
// acquire carries the Paxos ballot's, so a client clock behind a node's clock makes the DELETE
// older than the lock it removes: the release is silently lost until the TTL. And a DELETE that
// timed out can land after the TTL freed the key and another owner took it: it then frees that
// owner's lock, and a third owner can acquire while the second still believes it holds.
//
// Everything else is the `lwt` recipe, table included, so the two differ in the release alone.

import { lwt } from './lwt.ts';
import type { Recipe } from './recipe.ts';

export const lwtPlainDelete: Recipe = {
  ...lwt,
  name: 'lwt-plain-delete',
  summary: 'INSERT owner IF NOT EXISTS USING TTL to acquire, plain DELETE to release, SERIAL reads',

  async release(x, key) {
    await x.write(`DELETE FROM ${lwt.table} WHERE id = ?`, [key]);
    return { released: true };
  },
};
