// The Cassandra service on a host, driven over SSH: by systemd (`systemctl` on the unit) or as a
// plain process (a start command and a pid file). Freezing is SIGSTOP to the JVM either way: it
// keeps its sockets and answers nothing, as the containers provider's freezer does.
import type { CassandraServiceConfig } from '../provider-config.ts';
import type { SshSession } from './session.ts';
import { sleep } from '../cql-health.ts';

const STOP_GRACE_MS = 30_000;
/** How long a signalled JVM may take to show the signal's effect in /proc. */
const SIGNAL_WAIT_MS = 15_000;

/** The state letter of /proc/<pid>/stat (after the last ')': the command name may hold one). */
export function procState(stat: string): string | undefined {
  const i = stat.lastIndexOf(')');
  return i < 0 ? undefined : stat.slice(i + 1).trim()[0];
}

/** A pid file's content: a positive whole number, or undefined. */
export function parsePid(text: string): number | undefined {
  const t = text.trim();
  return /^[1-9]\d{0,9}$/.test(t) ? Number(t) : undefined;
}

export type ProcessState = 'running' | 'frozen' | 'gone';

export class CassandraService {
  constructor(private readonly ssh: SshSession, private readonly cfg: CassandraServiceConfig) {}

  /** The JVM's pid, or undefined when none runs. */
  async pid(): Promise<number | undefined> {
    if (this.cfg.service === 'systemd') {
      const out = await this.ssh.ok(['systemctl', 'show', '--property=MainPID', '--value', this.unit()]);
      const pid = parsePid(out);
      return pid === undefined || pid === 0 ? undefined : pid;
    }
    const r = await this.ssh.run(['cat', this.cfg.pid_file!], { privileged: true });
    return r.code === 0 ? parsePid(r.stdout) : undefined;
  }

  async state(): Promise<ProcessState> {
    const pid = await this.pid();
    if (pid === undefined) return 'gone';
    const r = await this.ssh.run(['cat', `/proc/${pid}/stat`]);
    if (r.code !== 0) return 'gone';
    const s = procState(r.stdout);
    if (s === undefined || s === 'Z' || s === 'X') return 'gone';
    return s === 'T' || s === 't' ? 'frozen' : 'running';
  }

  private unit(): string {
    return this.cfg.unit ?? 'cassandra';
  }

  private async signal(sig: 'KILL' | 'TERM' | 'STOP' | 'CONT'): Promise<void> {
    const pid = await this.pid();
    if (pid === undefined) return;
    // The process may have ended between reading its pid and signalling it: that is not an error.
    await this.ssh.run(['kill', `-${sig}`, String(pid)], { privileged: true });
  }

  /** SIGKILL, then wait until the JVM is gone: a JVM with many threads takes a moment to exit. */
  async kill(): Promise<void> {
    await this.signal('KILL');
    await this.until((s) => s === 'gone', 'gone');
  }

  /** SIGSTOP, then wait until the JVM has stopped (or is gone: nothing is left to freeze). */
  async pause(): Promise<void> {
    await this.signal('STOP');
    await this.until((s) => s !== 'running', 'stopped');
  }

  private async until(done: (s: ProcessState) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + SIGNAL_WAIT_MS;
    while (!done(await this.state())) {
      if (Date.now() > deadline) throw new Error(`the Cassandra JVM is not ${what} ${SIGNAL_WAIT_MS / 1000} s after the signal`);
      await sleep(100);
    }
  }

  resume(): Promise<void> {
    return this.signal('CONT');
  }

  /** Graceful stop: SIGTERM (or `systemctl stop`), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (this.cfg.service === 'systemd') {
      await this.resume();
      await this.ssh.ok(['systemctl', 'stop', this.unit()], { privileged: true, timeoutMs: STOP_GRACE_MS + 30_000 });
      return;
    }
    await this.resume();
    await this.signal('TERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (Date.now() < deadline) {
      if ((await this.state()) === 'gone') return;
      await sleep(500);
    }
    await this.kill();
  }

  /** Starts the service when it is not running (a frozen JVM is thawed, not started twice). */
  async start(): Promise<void> {
    const state = await this.state();
    if (state === 'frozen') await this.resume();
    if (state !== 'gone') return;
    if (this.cfg.service === 'systemd') {
      await this.ssh.ok(['systemctl', 'start', this.unit()], { privileged: true, timeoutMs: 120_000 });
    } else {
      // The user's own start command, run by the remote shell as written in the config.
      await this.ssh.ok(['sh', '-c', this.cfg.start!], { privileged: true, timeoutMs: 120_000 });
    }
  }

  /** The JVM's environment (NUL-separated /proc/<pid>/environ), for the libfaketime check. */
  async environment(): Promise<Map<string, string> | undefined> {
    const pid = await this.pid();
    if (pid === undefined) return undefined;
    const r = await this.ssh.run(['cat', `/proc/${pid}/environ`], { privileged: true });
    if (r.code !== 0) return undefined;
    return new Map(
      r.stdout
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
    );
  }
}
