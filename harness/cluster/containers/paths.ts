// Where lockstorm keeps its recipes and caches, and how it tells the user what it is doing.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

import { repoRoot } from '../../core/repo-root.ts';

export { repoRoot };
export const dockerDir = join(repoRoot, 'docker');

/** Git-ignored scratch space for build logs and build contexts. */
export function cacheDir(): string {
  const dir = join(repoRoot, '.cache', 'lockstorm');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Progress for a human, on stderr so `--json` output on stdout stays clean. */
export function say(message: string): void {
  process.stderr.write(`lockstorm: ${message}\n`);
}
