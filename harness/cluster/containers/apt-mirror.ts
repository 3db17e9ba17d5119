// Finds the Debian mirror this machine's apt already uses, so debootstrap fetches from the same
// place (and lockstorm never names a registry itself).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
}

/** Parses deb822 `.sources` text (stanzas separated by blank lines); only `Types: deb` entries. */
export function parseDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    const types = (fields.get('types') ?? '').split(/\s+/);
    if (!types.includes('deb') || fields.get('enabled') === 'no') continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    const components = (fields.get('components') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) out.push({ uri, suites, components });
  }
  return out;
}

/** Parses one-line `sources.list` text: `deb [options] URI suite component…`. */
export function parseSourcesList(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (type === 'deb' && uri && suite) out.push({ uri, suites: [suite], components });
  }
  return out;
}

/** Debian release code names, oldest first: a mirror that carries one of them carries the others. */
export const DEBIAN_RELEASES = ['buster', 'bullseye', 'bookworm', 'trixie', 'forky'] as const;

/**
 * The first source carrying `suite` with the `main` component; else the first one carrying another
 * Debian release (`main`), since one Debian mirror serves every release it still keeps: a machine
 * set up for bookworm can debootstrap bullseye from the same place. Undefined when neither exists.
 */
export function pickMirror(sources: readonly AptSource[], suite: string): string | undefined {
  const withMain = sources.filter((s) => s.components.includes('main'));
  const exact = withMain.find((s) => s.suites.includes(suite));
  if (exact) return exact.uri;
  if (!(DEBIAN_RELEASES as readonly string[]).includes(suite)) return undefined;
  return withMain.find((s) => s.suites.some((x) => (DEBIAN_RELEASES as readonly string[]).includes(x)))?.uri;
}

/** Every apt source configured on this machine (active files only). */
export function readAptSources(aptDir = '/etc/apt'): AptSource[] {
  const sources: AptSource[] = [];
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  sources.push(...parseSourcesList(read(join(aptDir, 'sources.list'))));
  let entries: string[] = [];
  try {
    entries = readdirSync(join(aptDir, 'sources.list.d')).sort();
  } catch {
    // no directory: only sources.list counts
  }
  for (const name of entries) {
    const file = join(aptDir, 'sources.list.d', name);
    if (name.endsWith('.sources')) sources.push(...parseDeb822(read(file)));
    else if (name.endsWith('.list')) sources.push(...parseSourcesList(read(file)));
  }
  return sources;
}
