// The record a lock guards: one counter per lock key, in a table of its own. A holder's critical
// section reads the counter and writes it back plus one; two holders at once, or a holder whose
// lease ran out while it was paused, lose increments, which the final value shows.
//
// With fencing, every statement that changes the record is a lightweight transaction on its
// `fence` column: the holder first claims the record with its token (`fence = token IF fence <=
// token`), then reads, then writes `IF fence <= token`. Claiming before reading matters: a write
// checked only against the last token that wrote would let a paused holder's write land between
// a newer holder's read and its write, and that newer write would then lose it.

import type { GuardedValue } from '../history/index.ts';
import type { Executor, Row } from './recipe.ts';

export const GUARDED_TABLE = 'guarded';

function numberOrNull(v: Row[string] | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

export const guardedResource = {
  table: GUARDED_TABLE,
  schema: (ks: string): string[] => [`CREATE TABLE ${ks}.${GUARDED_TABLE} (id text PRIMARY KEY, counter bigint, fence bigint)`],

  /** The record at counter 0, fence 0, unless it exists: conditional, so a fenced claim always finds a fence to compare. */
  async seed(x: Executor, key: string): Promise<void> {
    await x.cas(`INSERT INTO ${GUARDED_TABLE} (id, counter, fence) VALUES (?, 0, 0) IF NOT EXISTS`, [key]);
  },

  /** Raises the record's fence to `token`; false when a higher token has claimed it already. */
  async claim(x: Executor, key: string, token: number): Promise<boolean> {
    const r = await x.cas(`UPDATE ${GUARDED_TABLE} SET fence = ? WHERE id = ? IF fence <= ?`, [token, key, token]);
    return r.applied;
  },

  /** The counter and fence, at the cell's read level (or the level a final read forces). */
  async read(x: Executor, key: string): Promise<GuardedValue> {
    const row = await x.read(`SELECT counter, fence FROM ${GUARDED_TABLE} WHERE id = ?`, [key], 'read');
    return { counter: numberOrNull(row?.['counter']), fence: numberOrNull(row?.['fence']) };
  },

  /**
   * Writes `counter`. Unfenced: a plain write, always sent. Fenced: only if no higher token has
   * claimed the record since; returns whether it was accepted.
   */
  async write(x: Executor, key: string, counter: number, token: number | undefined): Promise<boolean> {
    if (token === undefined) {
      await x.write(`UPDATE ${GUARDED_TABLE} SET counter = ? WHERE id = ?`, [counter, key]);
      return true;
    }
    const r = await x.cas(`UPDATE ${GUARDED_TABLE} SET counter = ?, fence = ? WHERE id = ? IF fence <= ?`, [counter, token, key, token]);
    return r.applied;
  },
};
