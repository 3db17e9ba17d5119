// Keys, owners and driver error messages are data written by a cluster under faults: they reach
// HTML and XML only through here.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element text and in double- or single-quoted attribute values, for HTML and XML alike. */
export function escapeMarkup(text: string): string {
  return (
    text
      .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
      // XML 1.0 cannot carry most control characters even escaped; show them instead.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  );
}
