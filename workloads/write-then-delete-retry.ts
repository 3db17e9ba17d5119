// The first incident's recipe with its clean-up made persistent: after any acquire error the
// caller deletes the row at ALL and sends the DELETE again, a second apart, until one is acknowledged. That ends
// the ghost lock write-then-delete leaves when its one clean-up DELETE fails (a lock nobody holds
// that blocks everyone until its TTL); it does nothing for the race between the read and the
// INSERT, nor for a timed-out INSERT that lands after the DELETE meant to undo it.
//
// Everything else is write-then-delete, table included, so the two differ in the clean-up alone.

import type { Recipe } from './recipe.ts';
import { writeThenDelete } from './write-then-delete.ts';

/** Clean-up DELETEs sent before the caller gives up (each a fresh operation in the history). */
export const CLEANUP_ATTEMPTS = 20;
/** Between clean-up attempts: a link or node that is down stays down for seconds, not microseconds. */
export const CLEANUP_PAUSE_MS = 1_000;

export const writeThenDeleteRetry: Recipe = {
  ...writeThenDelete,
  name: 'write-then-delete-retry',
  summary: 'write-then-delete whose clean-up DELETE after an acquire error is retried at ALL until acknowledged',
  afterAcquireError: (key, owner) => [{ op: { f: 'release', key, owner }, writeCl: 'ALL', untilOk: { maxAttempts: CLEANUP_ATTEMPTS, pauseMs: CLEANUP_PAUSE_MS } }],
};
