// Client write timestamps (issue 5): the knob that makes timestamp ties and skewed releases
// happen on demand. Applied only to plain writes, through the driver's per-query `timestamp`
// option; LWT statements take the Paxos ballot's timestamp and cannot carry one.

import type { TimestampMode } from '../runner/cell-params.ts';

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
      // The runner pins each release's stamp (DriverExecutor.pinStamp); anything else is the driver's.
      return { next: () => undefined };
    case 'quantized':
      // Deliberately not monotonic: every write in the same unit gets the same timestamp.
      return { next: () => Math.floor(nowMs() / mode.unitMs) * mode.unitMs * 1000 };
  }
}

/**
 * The newest write timestamp a row read back carries, from its `writetime(...)` columns (named
 * `*_ts` by convention), or null when the recipe's read returns none.
 */
export function newestWriteTime(row: Record<string, unknown> | null): number | null {
  let newest: number | null = null;
  for (const [k, v] of Object.entries(row ?? {})) {
    if (k.endsWith('_ts') && typeof v === 'number' && (newest === null || v > newest)) newest = v;
  }
  return newest;
}
