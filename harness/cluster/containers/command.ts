// Running host programs (docker, apt-get, debootstrap, mvn, go) without a shell, so arguments are
// never re-parsed, and with their output either captured or appended to a log file.
import { spawn, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the program's standard input. */
  input?: string;
  /** Append stdout and stderr here instead of capturing them (long builds). */
  logFile?: string;
  timeoutMs?: number;
}

/** Runs `program args…`; resolves with its exit code (127 when the program is missing). */
export function run(program: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const log = opts.logFile === undefined ? undefined : createWriteStream(opts.logFile, { flags: 'a' });
    const spawnOpts: SpawnOptions = {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
    };
    const child = spawn(program, [...args], spawnOpts);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (log ? log.write(chunk) : (stdout += chunk.toString())));
    child.stderr?.on('data', (chunk: Buffer) => (log ? log.write(chunk) : (stderr += chunk.toString())));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    let settled = false;
    const finish = (code: number, extra = '') => {
      if (settled) return;
      settled = true;
      const done = () => resolve({ code, stdout, stderr: stderr + extra });
      if (log) log.end(done);
      else done();
    };
    child.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ENOENT' ? 127 : 1, err.message));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** Like run, but rejects with the program's last stderr line when it exits non-zero. */
export async function runOk(program: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(program, args, opts);
  if (r.code !== 0) {
    const last = r.stderr.trim().split('\n').pop() ?? '';
    throw new Error(`${program} ${args.slice(0, 2).join(' ')} exited ${r.code}${last ? `: ${last}` : ''}`);
  }
  return r.stdout;
}

/** Whether a program can be found on PATH. */
export async function hasProgram(program: string): Promise<boolean> {
  const r = await run('sh', ['-c', 'command -v "$1"', 'sh', program]);
  return r.code === 0;
}

/** The last lines of a log file, for a short failure hint. */
export async function tailOf(file: string, lines = 15): Promise<string> {
  const r = await run('tail', ['-n', String(lines), file]);
  return r.stdout;
}
