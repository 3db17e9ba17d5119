// Makes sure a Docker engine answers. On a fresh Debian machine run as root it installs docker.io
// from Debian's own packages and starts dockerd; otherwise it says what the user must provide.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { hasProgram, run } from './command.ts';
import { cacheDir, say } from './paths.ts';

const ENGINE_START_TIMEOUT_MS = 60_000;

/** True when `docker version` reaches a server. */
export async function engineReachable(): Promise<boolean> {
  const r = await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
  return r.code === 0 && r.stdout.trim() !== '';
}

export async function ensureEngine(): Promise<void> {
  if (await engineReachable()) return;

  if (process.env.DOCKER_HOST) {
    throw new UserError(`DOCKER_HOST=${process.env.DOCKER_HOST} does not answer: start that engine or unset DOCKER_HOST`);
  }
  const isRoot = process.getuid?.() === 0;
  if (!(await hasProgram('dockerd')) || !(await hasProgram('docker'))) {
    if (!isRoot || !(await hasProgram('apt-get'))) {
      throw new UserError(
        'no Docker engine is reachable: start one (or set DOCKER_HOST), or run lockstorm as root on Debian so it can install docker.io',
      );
    }
    await installDockerFromDebian();
  }
  if (!isRoot) {
    throw new UserError('dockerd is installed but not running, and only root can start it: start the Docker engine (e.g. `sudo dockerd &`) and retry');
  }
  await startDockerd();
}

async function installDockerFromDebian(): Promise<void> {
  const log = join(cacheDir(), 'apt-docker.log');
  say(`no Docker engine found: installing docker.io and iptables from Debian packages (apt-get; log ${log})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env, logFile: log });
  const install = update.code === 0
    ? await run('apt-get', ['install', '-y', '--no-install-recommends', 'docker.io', 'iptables'], { env, logFile: log })
    : update;
  if (install.code !== 0) throw new UserError(`installing docker.io with apt-get failed (exit ${install.code}); see ${log}`);
}

async function startDockerd(): Promise<void> {
  const log = join(cacheDir(), 'dockerd.log');
  say(`starting the Docker engine: dockerd in the background (log ${log})`);
  mkdirSync(cacheDir(), { recursive: true });
  const fd = openSync(log, 'a');
  // Detached with its own session so it outlives lockstorm, like a service would.
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  closeSync(fd);
  const deadline = Date.now() + ENGINE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await engineReachable()) {
      say('Docker engine is up');
      return;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new UserError(`dockerd did not come up within ${ENGINE_START_TIMEOUT_MS / 1000} s; see ${log}`);
}
