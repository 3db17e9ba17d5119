// Register events → text in the two forms other tools read: Jepsen's history.edn (one op map per
// line, with :index and :time) and Porcupine's kv log (one op map per line, no times: the line
// order is the real-time order). Both carry the cas-register operations of lock-register.ts.
import type { RegisterEvent, RegisterValue } from './lock-register.ts';

export const EXPORT_FORMATS = ['edn', 'porcupine-kv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Controls, bidi and line-separator characters and lone surrogates: written as \\uXXXX, never raw. */
const INVISIBLE = /^(?:[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]|[\uD800-\uDFFF])$/;

/** An EDN string literal: quotes, backslashes and every invisible character escaped. */
export function ednString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (INVISIBLE.test(ch)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function ednValue(v: RegisterValue | [RegisterValue, RegisterValue]): string {
  if (Array.isArray(v)) return `[${ednValue(v[0])} ${ednValue(v[1])}]`;
  return v === null ? ':free' : ednString(v);
}

function line(e: RegisterEvent, extra: string): string {
  const value = e.value === undefined ? 'nil' : ednValue(e.value);
  return `{:process ${e.process}, :type :${e.type}, :f :${e.f}, :key ${ednString(e.key)}, :value ${value}${extra}}`;
}

export function renderExport(events: readonly RegisterEvent[], format: ExportFormat): string {
  if (format === 'porcupine-kv') return events.map((e) => `${line(e, '')}\n`).join('');
  return events.map((e, i) => `${line(e, `, :time ${e.time}, :index ${i}`)}\n`).join('');
}
