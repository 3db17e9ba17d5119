// One child process of an external client: JSON lines on its stdin and stdout, its stderr
// appended to a log file. It answers one request at a time; whatever goes wrong (no answer in
// time, an exit, a stream error) comes back as an Answer, never as an exception, so the session
// can record it as the operation's outcome.
//
// The child runs in a process group of its own so that a wrapper script and everything it
// started (a JVM behind `sh -c`, say) go down together when it is killed.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ToChild } from './protocol.ts';

export interface ChildOptions {
  /** argv: the program and its arguments (no shell). */
  command: readonly string[];
  /** Working directory: the config file's folder. */
  cwd: string;
  /** Where the child's stderr goes (appended). */
  logPath: string;
}

export type Answer = { kind: 'line'; line: string } | { kind: 'exited'; how: string } | { kind: 'timeout' };

/** A line longer than this is not a reply: the child is writing something else. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

const live = new Set<ChildLink>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Children sit in process groups of their own, out of reach of a terminal's Ctrl-C.
  process.on('exit', () => {
    for (const c of live) c.kill();
  });
}

export class ChildLink {
  readonly pid: number | undefined;
  private readonly proc: ChildProcess;
  private buffered = '';
  private readonly lines: string[] = [];
  private exit: string | null = null;
  private waiter: (() => void) | null = null;
  private readonly exited: Promise<void>;

  constructor(opts: ChildOptions) {
    mkdirSync(dirname(opts.logPath), { recursive: true });
    const log = openSync(opts.logPath, 'a');
    try {
      this.proc = spawn(opts.command[0]!, opts.command.slice(1), {
        cwd: opts.cwd,
        stdio: ['pipe', 'pipe', log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    this.pid = this.proc.pid;
    live.add(this);
    killAllOnExit();
    this.exited = new Promise((resolve) => {
      const done = (how: string): void => {
        this.exit ??= how;
        live.delete(this);
        this.wake();
        resolve();
      };
      this.proc.once('error', (err) => done(`could not be started: ${err.message}`));
      this.proc.once('exit', (code, signal) => done(signal ? `was ended by ${signal}` : `exited with code ${code}`));
    });
    this.proc.stdout!.setEncoding('utf8');
    this.proc.stdout!.on('data', (chunk: string) => this.take(chunk));
    // A child that exits while lockstorm writes to it: the exit says what happened, not EPIPE.
    this.proc.stdin!.on('error', () => undefined);
  }

  private take(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl).replace(/\r$/, '');
      this.buffered = this.buffered.slice(nl + 1);
      if (line.trim() !== '') this.lines.push(line);
    }
    if (Buffer.byteLength(this.buffered) > MAX_LINE_BYTES) {
      this.lines.push(this.buffered.slice(0, 200));
      this.buffered = '';
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Whether the process is gone. */
  get gone(): boolean {
    return this.exit !== null;
  }

  /** Sends one message and waits for the next line the child writes. */
  async ask(message: ToChild, timeoutMs: number): Promise<Answer> {
    if (this.exit === null) this.proc.stdin!.write(`${JSON.stringify(message)}\n`);
    return this.next(timeoutMs);
  }

  private async next(timeoutMs: number): Promise<Answer> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return { kind: 'line', line };
      if (this.exit !== null) return { kind: 'exited', how: this.exit };
      const left = deadline - performance.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Asks the child to exit; kills it (and its group) if it has not within `graceMs`. */
  async shutdown(graceMs = 5_000): Promise<void> {
    if (this.exit === null) {
      this.proc.stdin!.write(`${JSON.stringify({ type: 'shutdown' } satisfies ToChild)}\n`);
      this.proc.stdin!.end();
    }
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
    if ((await Promise.race([this.exited.then(() => 'exited' as const), timer])) === 'late') this.kill();
    await this.exited;
    this.killGroup();
  }

  /** Ends the child and everything in its process group at once. */
  kill(): void {
    this.killGroup();
    if (this.exit === null) this.proc.kill('SIGKILL');
  }

  private killGroup(): void {
    // Whatever the child left behind in its group (a JVM under a wrapper script) goes too.
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }

  /** Resolves once the process has exited. */
  whenExited(): Promise<void> {
    return this.exited;
  }
}
