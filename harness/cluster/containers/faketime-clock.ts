// The clock capability: libfaketime in the Cassandra image (docker/cassandra/entrypoint.sh) reads
// its offset from a file, so writing the file moves that node's JVM wall clock within about a
// second, without touching the host clock.
import type { ClockControl, NodeName } from '../cluster.ts';
import type { Exec } from './iptables-net.ts';

/** Must match FAKETIME_FILE in docker/cassandra/entrypoint.sh. */
export const FAKETIME_FILE = '/var/lib/lockstorm/faketime';
/** Must match FAKETIME_CACHE_DURATION in docker/cassandra/entrypoint.sh. */
export const IMAGE_CACHE_DURATION_S = 0;
/** libfaketime's own default when FAKETIME_CACHE_DURATION is unset. */
export const DEFAULT_CACHE_DURATION_S = 10;

/**
 * How long after a write every clock call of the JVM sees it. libfaketime re-reads the file on
 * the first clock call whose real whole seconds exceed those of its last read by more than the
 * cache duration, so a write waits at most duration + 1 s (a duration of 1 means up to 2 s).
 */
export function faketimeSettleMs(cacheDurationS: number): number {
  return (cacheDurationS + 1) * 1000 + 200;
}

/** libfaketime's relative format: signed seconds, '.' as the decimal point (C locale); "+0" is healthy. */
export function faketimeOffset(ms: number): string {
  if (ms === 0) return '+0';
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(3).replace(/\.?0+$/, '')}`;
}

/** The inverse of faketimeOffset; undefined for anything it would not have written. */
export function parseFaketimeOffset(text: string): number | undefined {
  const m = /^([+-])(\d+(?:\.\d{1,3})?)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[2]) * 1000);
  return m[1] === '-' ? -ms : ms;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FaketimeClock implements ClockControl {
  constructor(private readonly exec: Exec) {}

  async setOffsets(offsetsMs: ReadonlyMap<NodeName, number>): Promise<void> {
    if (offsetsMs.size === 0) return;
    for (const [node, ms] of offsetsMs) {
      // Write then rename, so libfaketime never reads a truncated, empty file mid-write.
      const value = faketimeOffset(ms);
      await this.exec(node, ['sh', '-c', `printf '%s\\n' '${value}' > ${FAKETIME_FILE}.tmp && mv ${FAKETIME_FILE}.tmp ${FAKETIME_FILE}`]);
    }
    await sleep(faketimeSettleMs(IMAGE_CACHE_DURATION_S));
  }

  async offset(node: NodeName): Promise<number> {
    let text: string;
    try {
      text = (await this.exec(node, ['cat', FAKETIME_FILE])).trim();
    } catch (err) {
      throw new Error(`cannot read ${FAKETIME_FILE}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const ms = parseFaketimeOffset(text);
    if (ms === undefined) throw new Error(`${FAKETIME_FILE} holds "${text}", not a libfaketime offset`);
    return ms;
  }
}
