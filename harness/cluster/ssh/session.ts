// One SSH connection per node (the ssh2 package), reopened when it drops. Commands are argvs
// (argv.ts quotes them); each has a deadline, and a non-zero exit is an error naming the node, the
// program and its last stderr line.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { UserError } from '../../core/errors.ts';
import type { SshNodeConfig } from '../provider-config.ts';
import { expandPath } from '../remote/connection.ts';
import { commandLine } from './argv.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CONNECT_TIMEOUT_MS = 20_000;
export const COMMAND_TIMEOUT_MS = 60_000;

/** OpenSSH's fingerprint of a host key: SHA256:<unpadded base64>. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export class SshSession {
  private client: ssh2.Client | null = null;
  private connecting: Promise<ssh2.Client> | null = null;
  private readonly privateKey: Buffer;
  /** The host key seen on the first connection (reported when the config pins none). */
  seenHostKey: string | undefined;

  constructor(readonly node: SshNodeConfig) {
    try {
      this.privateKey = readFileSync(expandPath(node.ssh.key_file));
    } catch (err) {
      throw new UserError(`cluster.nodes (${node.name}).ssh.key_file: cannot read ${node.ssh.key_file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  private connect(): Promise<ssh2.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    const { node } = this;
    this.connecting = new Promise<ssh2.Client>((resolve, reject) => {
      const c = new ssh2.Client();
      let hostKeyProblem: string | undefined;
      c.once('ready', () => {
        this.client = c;
        resolve(c);
      });
      c.once('error', (err) => reject(new Error(`${node.name}: ssh ${node.ssh.user}@${node.host}:${node.ssh.port}: ${hostKeyProblem ?? err.message}`)));
      c.on('close', () => {
        if (this.client === c) this.client = null;
      });
      c.connect({
        host: node.host,
        port: node.ssh.port,
        username: node.ssh.user,
        privateKey: this.privateKey,
        readyTimeout: CONNECT_TIMEOUT_MS,
        keepaliveInterval: 5000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          const seen = fingerprint(key);
          this.seenHostKey = seen;
          if (node.ssh.host_key && node.ssh.host_key !== seen) {
            hostKeyProblem = `host key ${seen} is not the configured ${node.ssh.host_key}`;
            return false;
          }
          return true;
        },
      });
    }).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Runs argv (as root through `sudo -n` when the node says so); resolves with its exit code. */
  async run(argv: readonly string[], opts: { privileged?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
    const full = opts.privileged && this.node.ssh.sudo ? ['sudo', '-n', '--', ...argv] : [...argv];
    const line = commandLine(full);
    const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
    const client = await this.connect();
    return new Promise<RunResult>((resolve, reject) => {
      client.exec(line, (err, stream) => {
        if (err) {
          // A dead connection: drop it so the next command reconnects.
          this.close();
          reject(new Error(`${this.node.name}: ${argv[0]}: ${err.message}`));
          return;
        }
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => {
          stream.close();
          reject(new Error(`${this.node.name}: ${argv[0]} ${argv[1] ?? ''} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null, signal?: string) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? 128 : 255), stdout, stderr });
        });
      });
    });
  }

  /** Like run, but a non-zero exit rejects with the program's last stderr line. */
  async ok(argv: readonly string[], opts: { privileged?: boolean; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.run(argv, opts);
    if (r.code !== 0) {
      const last = (r.stderr || r.stdout).trim().split('\n').pop() ?? '';
      throw new Error(`${this.node.name}: ${argv[0] === 'sh' ? 'script' : argv.slice(0, 2).join(' ')} exited ${r.code}${last ? `: ${last}` : ''}`);
    }
    return r.stdout;
  }

  close(): void {
    const c = this.client;
    this.client = null;
    c?.end();
  }
}
