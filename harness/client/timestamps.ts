// Client write timestamps: the knob that makes timestamp ties and skewed releases
// happen on demand. Applied only to plain writes, through the driver's per-query `timestamp`
// option; LWT statements take the Paxos ballot's timestamp and cannot carry one.

import type { TimestampMode } from '../core/cell.ts';

/**
 * The per-query `timestamp` option, in microseconds since the epoch: `null` sends none (the
 * coordinator stamps the write), `undefined` lets the driver's monotonic generator stamp it.
 */
export type QueryTimestamp = number | null | undefined;

export interface TimestampSource {
  next(): QueryTimestamp;
}

/** `nowMs` is injectable so the arithmetic can be tested without waiting on the clock. */
export function timestampSource(mode: TimestampMode, nowMs: () => number = Date.now): TimestampSource {
  switch (mode.kind) {
    case 'server':
      return { next: () => null };
    case 'driver':
      return { next: () => undefined };
    case 'skewed': {
      // Like the driver's generator (strictly increasing per client), shifted by the offset.
      let last = -Infinity;
      return {
        next() {
          const micros = Math.max(Math.floor((nowMs() + mode.offsetMs) * 1000), last + 1);
          last = micros;
          return micros;
        },
      };
    }
    case 'tie':
      // The executor stamps each plain write with its row's newest stamp (./tie.ts); when the row
      // has no live cell, the driver's.
      return { next: () => undefined };
    case 'quantized':
      // Deliberately not monotonic: every write in the same unit gets the same timestamp.
      return { next: () => Math.floor(nowMs() / mode.unitMs) * mode.unitMs * 1000 };
  }
}
