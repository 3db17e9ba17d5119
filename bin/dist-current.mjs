// Whether dist/ (bin/build.mjs) was built from exactly the sources on disk: every file and folder
// the build read still has the times and size it had then. A stat per source (a few hundred, a
// few milliseconds) rather than hashing contents; a folder's times change when a file is added to
// or removed from it, so new sources count as changes too. Any doubt (no stamp, an unreadable
// one, LOCKSTORM_FROM_SOURCE=1) means no.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

export function distIsCurrent() {
  if (process.env.LOCKSTORM_FROM_SOURCE === '1') return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(`${root}dist/build-stamp.json`, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(stamp?.files) || stamp.files.length === 0) return false;
  for (const entry of stamp.files) {
    if (!Array.isArray(entry)) return false;
    const [path, mtimeMs, ctimeMs, size] = entry;
    const s = statSync(`${root}${path}`, { throwIfNoEntry: false });
    if (!s || s.mtimeMs !== mtimeMs || s.ctimeMs !== ctimeMs || (!s.isDirectory() && s.size !== size)) return false;
  }
  return true;
}
