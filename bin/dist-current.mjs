// Whether dist/ (bin/build.mjs) was built from exactly the sources on disk: every file and folder
// the build read still has the times and size it had then. A stat per source (a few hundred, a
// few milliseconds) rather than hashing contents; a folder's times change when a file is added to
// or removed from it, so new sources count as changes too. Any doubt (no stamp, an unreadable
// one, LOCKSTORM_FROM_SOURCE=1) means no.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The file bin/lockstorm.mjs should import when dist/ is current: the bundled CLI, or the
 * file-per-source one when the build could not bundle. Null when dist/ is missing or stale.
 */
export function currentDistEntry() {
  if (process.env.LOCKSTORM_FROM_SOURCE === '1') return null;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(`${root}dist/build-stamp.json`, 'utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(stamp?.files) || stamp.files.length === 0) return null;
  for (const entry of stamp.files) {
    if (!Array.isArray(entry)) return null;
    const [path, mtimeMs, ctimeMs, size] = entry;
    const s = statSync(`${root}${path}`, { throwIfNoEntry: false });
    if (!s || s.mtimeMs !== mtimeMs || s.ctimeMs !== ctimeMs || (!s.isDirectory() && s.size !== size)) return null;
  }
  // Stamps from before the bundle name no entry: theirs was the file-per-source CLI.
  const entry = typeof stamp.entry === 'string' && /^[\w./-]+\.js$/.test(stamp.entry) && !stamp.entry.includes('..') ? stamp.entry : 'harness/cli/main.js';
  return `${root}dist/${entry}`;
}

export function distIsCurrent() {
  return currentDistEntry() !== null;
}
