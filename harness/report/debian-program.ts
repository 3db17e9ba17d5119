// Programs the report's checks lean on (a headless browser, an XML schema validator) come from
// Debian packages, installed with apt when absent: this project never downloads builds of its own.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { UserError } from '../core/errors.ts';

const run = promisify(execFile);

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The program at `path`, installing Debian package `pkg` first when it is missing. */
export async function ensureDebianProgram(path: string, pkg: string, log: (line: string) => void = () => undefined): Promise<string> {
  if (await exists(path)) return path;
  if (process.getuid?.() !== 0 || !(await exists('/usr/bin/apt-get'))) {
    throw new UserError(`${path} is missing and cannot be installed here (needs root and apt-get): install Debian's ${pkg} package`);
  }
  log(`installing Debian ${pkg} with apt-get (once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 };
  await run('apt-get', ['update', '-qq'], opts);
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], opts);
  if (!(await exists(path))) throw new UserError(`apt-get installed ${pkg} but ${path} is still missing`);
  return path;
}
