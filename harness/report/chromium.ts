// The headless browser the report test drives: Debian's `chromium`, installed with apt when
// absent (this project never downloads a browser build of its own).
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { UserError } from '../core/errors.ts';

const run = promisify(execFile);
export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep a headless run offline, quiet and container-friendly. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function ensureChromium(log: (line: string) => void = () => undefined): Promise<string> {
  if (await exists(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0 || !(await exists('/usr/bin/apt-get'))) {
    throw new UserError(`${CHROMIUM} is missing and cannot be installed here (needs root and apt-get): install Debian's chromium package`);
  }
  log('installing Debian chromium with apt-get (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 };
  await run('apt-get', ['update', '-qq'], opts);
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], opts);
  if (!(await exists(CHROMIUM))) throw new UserError(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}
