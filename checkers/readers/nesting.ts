// How deeply a history's values may nest. Parsers and the code that walks their results recurse
// once per level; bounding the depth on the raw text, before any of them runs, keeps every
// reader on a short stack whatever a file holds. Real histories nest a handful of levels. EDN
// text is bounded by the EDN scanner (edn.ts), which tracks its nesting anyway.

/** Deepest nesting of arrays, objects, maps, sets and lists a history's text may have. */
export const MAX_NESTING = 32;

/** True when JSON text opens more than `max` arrays/objects at once (strings are skipped). */
export function jsonNestsDeeperThan(text: string, max = MAX_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
