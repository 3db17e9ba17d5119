// The clock capability over SSH: the node's Cassandra JVM runs under libfaketime with
// FAKETIME_TIMESTAMP_FILE naming a file (docs/cluster.md says how to set that up), and lockstorm
// writes the offset there, then waits as long as the JVM's FAKETIME_CACHE_DURATION lets
// libfaketime take to re-read it. The host clock is never touched. Before moving a clock lockstorm
// checks, in the JVM's own environment, that it really reads that file: an offset written where
// nothing reads it would make a clock fault that is not one.
import type { ClockControl, NodeName } from '../cluster.ts';
import { DEFAULT_CACHE_DURATION_S, faketimeOffset, faketimeSettleMs, parseFaketimeOffset } from '../containers/faketime-clock.ts';
import { sleep } from '../cql-health.ts';
import { script } from './argv.ts';
import type { CassandraService } from './service.ts';
import type { SshSession } from './session.ts';

const WRITE = 'printf "%s\\n" "$1" > "$2.tmp" && mv "$2.tmp" "$2"';

/** Why a JVM environment does not read `file` through libfaketime; undefined when it does. */
export function faketimeProblem(env: ReadonlyMap<string, string> | undefined, file: string): string | undefined {
  if (!env) return 'no Cassandra JVM runs';
  if (!/faketime/.test(env.get('LD_PRELOAD') ?? '')) return 'the Cassandra JVM does not preload libfaketime (LD_PRELOAD)';
  if (env.get('FAKETIME_TIMESTAMP_FILE') !== file) {
    return `the Cassandra JVM reads FAKETIME_TIMESTAMP_FILE=${env.get('FAKETIME_TIMESTAMP_FILE') ?? '(unset)'}, not ${file}`;
  }
  return undefined;
}

/** How long after a write the JVM with this environment sees it (libfaketime reads the variable with atoi). */
export function settleMsFor(env: ReadonlyMap<string, string>): number {
  if (env.get('FAKETIME_NO_CACHE') === '1') return faketimeSettleMs(0);
  const raw = env.get('FAKETIME_CACHE_DURATION');
  const duration = raw === undefined ? DEFAULT_CACHE_DURATION_S : Number.parseInt(raw, 10);
  return faketimeSettleMs(Number.isFinite(duration) && duration > 0 ? duration : 0);
}

export class SshFaketimeClock implements ClockControl {
  /** Per node whose JVM was seen to read the file: how long a write takes to reach it. */
  private readonly settleMs = new Map<NodeName, number>();

  constructor(
    private readonly file: string,
    private readonly session: (node: NodeName) => SshSession,
    private readonly service: (node: NodeName) => CassandraService,
  ) {}

  async setOffsets(offsetsMs: ReadonlyMap<NodeName, number>): Promise<void> {
    if (offsetsMs.size === 0) return;
    let wait = 0;
    for (const [node, ms] of offsetsMs) {
      if (!this.settleMs.has(node)) {
        const env = await this.service(node).environment();
        const problem = faketimeProblem(env, this.file);
        // Writing +0 where no JVM reads the file is harmless: the next JVM starts from it.
        if (problem && ms !== 0) throw new Error(`${node}: cannot skew its clock: ${problem} (docs/cluster.md, "Clock faults over SSH")`);
        if (!problem) this.settleMs.set(node, settleMsFor(env!));
      }
      await this.session(node).ok(script(WRITE, faketimeOffset(ms), this.file), { privileged: true });
      wait = Math.max(wait, this.settleMs.get(node) ?? 0);
    }
    await sleep(wait);
  }

  async offset(node: NodeName): Promise<number> {
    const r = await this.session(node).run(['cat', this.file], { privileged: true });
    if (r.code !== 0) throw new Error(`cannot read ${this.file}: ${(r.stderr || 'exit ' + r.code).trim().split('\n').pop()}`);
    const text = r.stdout.trim();
    const ms = parseFaketimeOffset(text);
    if (ms === undefined) throw new Error(`${this.file} holds "${text}", not a libfaketime offset`);
    return ms;
  }
}
