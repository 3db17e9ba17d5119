// Keys, owners, file names and driver error messages are data written by a cluster under faults
// (or by whoever made the file): they reach a terminal, HTML and XML only through here.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Characters that change how a line looks rather than what it says: C0 and C1 controls and DEL
 * (an ESC sequence can move the cursor and overwrite an earlier line), the bidi embeddings,
 * overrides and isolates (U+202E shows text reversed), line and paragraph separators, the BOM,
 * the two non-characters XML forbids, and lone surrogates (no encoding can carry them).
 */
const INVISIBLE =
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface VisibleOptions {
  /** Keep `\n` and `\t` as they are (multi-line text in a page); a terminal line escapes them too. */
  keepLayout?: boolean;
}

/** Shows every control, bidi and unencodable character as `\x1b` / `\u202e`; everything else is kept. */
export function escapeVisible(text: string, opts: VisibleOptions = {}): string {
  return text.replace(INVISIBLE, (c) => (opts.keepLayout && (c === '\n' || c === '\t') ? c : visible(c)));
}

/**
 * Safe in element text and in double- or single-quoted attribute values, for HTML and XML alike;
 * controls and bidi characters are shown escaped (XML 1.0 cannot carry most controls at all).
 */
export function escapeMarkup(text: string): string {
  return escapeVisible(text.replace(/[&<>"']/g, (c) => ENTITIES[c]!), { keepLayout: true });
}

/** A JSON line whose strings show controls and bidi characters as `\uXXXX`: the same value once parsed. */
export function visibleJson(value: unknown): string {
  return JSON.stringify(value).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
