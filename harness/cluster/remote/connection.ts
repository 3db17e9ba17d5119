// How lockstorm's clients reach a cluster it did not start: local data center, the password from
// the environment variable the config names (never from the config, never printed), the CA file.
import { readFileSync } from 'node:fs';
import { UserError } from '../../core/errors.ts';
import type { DriverConnection } from '../cluster.ts';
import type { ProviderConfig } from '../provider-config.ts';

/** `~/x` and relative paths resolve as a shell would for the user running lockstorm. */
export function expandPath(path: string): string {
  if (path === '~' || path.startsWith('~/')) return `${process.env.HOME ?? ''}${path.slice(1)}`;
  return path;
}

export function driverConnection(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): DriverConnection {
  const out: { -readonly [K in keyof DriverConnection]: DriverConnection[K] } = {};
  if (config.local_dc) out.localDataCenter = config.local_dc;
  if (config.auth) {
    const password = env[config.auth.password_env];
    if (password === undefined || password === '') {
      throw new UserError(`cluster.auth.password_env: the environment variable ${config.auth.password_env} is not set (it holds the password of ${config.auth.username})`);
    }
    out.credentials = { username: config.auth.username, password };
  }
  if (config.tls) {
    try {
      out.tls = { ca: readFileSync(expandPath(config.tls.ca_file), 'utf8') };
    } catch (err) {
      throw new UserError(`cluster.tls.ca_file: cannot read ${config.tls.ca_file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return out;
}
