// The clock capability over SSH: the node's Cassandra JVM runs under libfaketime with
// FAKETIME_TIMESTAMP_FILE naming a file (docs/cluster.md says how to set that up), and lockstorm
// writes the offset there; libfaketime re-reads it once a second (FAKETIME_CACHE_DURATION=1).
// The host clock is never touched. Before moving a clock lockstorm checks, in the JVM's own
// environment, that it really reads that file: an offset written where nothing reads it would
// make a clock fault that is not one.
import type { ClockControl, NodeName } from '../cluster.ts';
import { faketimeOffset, parseFaketimeOffset } from '../containers/faketime-clock.ts';
import { sleep } from '../cql-health.ts';
import { script } from './argv.ts';
import type { CassandraService } from './service.ts';
import type { SshSession } from './session.ts';

const CACHE_SETTLE_MS = 1_200;
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

export class SshFaketimeClock implements ClockControl {
  private readonly checked = new Set<NodeName>();

  constructor(
    private readonly file: string,
    private readonly session: (node: NodeName) => SshSession,
    private readonly service: (node: NodeName) => CassandraService,
  ) {}

  async setOffsets(offsetsMs: ReadonlyMap<NodeName, number>): Promise<void> {
    if (offsetsMs.size === 0) return;
    for (const [node, ms] of offsetsMs) {
      if (ms !== 0 && !this.checked.has(node)) {
        const problem = faketimeProblem(await this.service(node).environment(), this.file);
        if (problem) throw new Error(`${node}: cannot skew its clock: ${problem} (docs/cluster.md, "Clock faults over SSH")`);
        this.checked.add(node);
      }
      await this.session(node).ok(script(WRITE, faketimeOffset(ms), this.file), { privileged: true });
    }
    await sleep(CACHE_SETTLE_MS);
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
