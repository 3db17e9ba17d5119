// EDN values as the readers and models use them. The edn-data package reads the values; this
// module only makes up for what it does not do for a history file:
//  - it gives no positions, so records could not name their line;
//  - it hardly reports bad syntax: a closer of the wrong kind (`[1 2)`) reads as the other
//    collection, a map with an odd number of forms drops its last key, an unclosed form reads as
//    nothing, and a stray closer at the top level throws a TypeError;
//  - it misreads the character literals of delimiters (`\)`, `\"`, ...).
// So `scanForms` walks the text once for structure alone (strings, comments, brackets, form
// counts, depth; no values), splits it into top-level forms with their lines, and edn-data reads
// each.
// Tagged literals read as their value with the tag dropped (`#jepsen.history.Op{...}` is its map).

import { parseEDNString, type EDNVal } from 'edn-data';
import { MAX_NESTING } from './nesting.ts';

export class Keyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

export class Sym {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

export class EdnSet {
  constructor(readonly items: Edn[]) {}
}

/** Map keys are compared by their printed form. */
export class EdnMap {
  readonly entries = new Map<string, [Edn, Edn]>();
  get(key: string): Edn | undefined {
    return this.entries.get(key)?.[1];
  }
  /** Value under keyword `name`. */
  kw(name: string): Edn | undefined {
    return this.get(`:${name}`);
  }
}

/** Lists and vectors both read as arrays: no history tells them apart. */
export type Edn = null | boolean | number | string | Keyword | Sym | Edn[] | EdnSet | EdnMap;

export class EdnSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line where the problem is. */
    readonly line: number,
  ) {
    super(message);
  }
}

/** One top-level form: where its text is, the line it starts on, and for `[`/`(` its items. */
export interface FormSpan {
  start: number;
  end: number;
  line: number;
  open?: string;
  items?: FormSpan[];
}

interface Frame {
  open: string;
  close: string;
  line: number;
  /** Forms inside, for the odd-map check. */
  count: number;
  /** `#_` and tags seen and not yet matched with their form, in order. */
  prefixes: ('discard' | 'tag')[];
  /** Where the form being read in this frame starts (its tags included). */
  formStart?: number;
  formLine?: number;
  /** Spans of the forms inside: kept at the top and in top-level groups, where records live. */
  items?: FormSpan[];
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '#{': '}' };
const isSpace = (c: string) => c === ' ' || c === ',' || c === '\n' || c === '\r' || c === '\t' || c === '\f';
const isDelim = (c: string) => '()[]{}";'.includes(c);

/** Splits `text` into its top-level forms, checking structure only. Throws EdnSyntaxError. */
export function scanForms(text: string): FormSpan[] {
  const top: Frame = { open: '', close: '', line: 1, count: 0, prefixes: [], items: [] };
  const frames: Frame[] = [top];
  let line = 1;
  let i = 0;

  const here = () => frames[frames.length - 1]!;
  const begin = () => {
    const f = here();
    if (f.formStart === undefined) {
      f.formStart = i;
      f.formLine = line;
    }
  };
  const prefix = (p: 'discard' | 'tag') => {
    const f = here();
    // Stacked tags nest the value as deeply as brackets do.
    if (f.prefixes.length >= MAX_NESTING) throw new EdnSyntaxError(`more than ${MAX_NESTING} tags or #_ in a row`, line);
    f.prefixes.push(p);
  };
  /** A form ended at `end` in the current frame; `group` is the frame it closed, if any. */
  const complete = (end: number, group?: Frame) => {
    const f = here();
    while (f.prefixes.at(-1) === 'tag') f.prefixes.pop();
    if (f.prefixes.at(-1) === 'discard') {
      // Discarded here, so edn-data never sees it. Tags still pending are dropped with it: they
      // would be dropped on reading anyway.
      f.prefixes.pop();
      f.formStart = undefined;
      return;
    }
    f.count++;
    f.items?.push({ start: f.formStart!, end, line: f.formLine!, open: group?.open, items: group?.items });
    f.formStart = undefined;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (isSpace(c)) i++;
    else if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      begin();
      const startLine = line;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        if (text[i] === '\n') line++;
      }
      if (i >= text.length) throw new EdnSyntaxError('string never closed', startLine);
      i++;
      complete(i);
    } else if (c === '(' || c === '[' || c === '{' || (c === '#' && text[i + 1] === '{')) {
      begin();
      const open = c === '#' ? '#{' : c;
      // Values are converted recursively below: a bounded depth keeps that on a short stack.
      if (frames.length > MAX_NESTING) throw new EdnSyntaxError(`nested deeper than ${MAX_NESTING} levels`, line);
      frames.push({ open, close: CLOSERS[open]!, line, count: 0, prefixes: [], items: frames.length === 1 ? [] : undefined });
      i += open.length;
    } else if (c === ')' || c === ']' || c === '}') {
      const f = here();
      if (frames.length === 1) throw new EdnSyntaxError(`unexpected '${c}'`, line);
      if (c !== f.close) throw new EdnSyntaxError(`'${c}' where '${f.close}' should close the '${f.open}' of line ${f.line}`, line);
      if (f.prefixes.length > 0) throw new EdnSyntaxError(`a tag or #_ with no form before '${c}'`, line);
      if (f.open === '{' && f.count % 2 !== 0) throw new EdnSyntaxError(`the map of line ${f.line} has an odd number of forms`, line);
      frames.pop();
      i++;
      complete(i, f);
    } else if (c === '#' && text[i + 1] === '_') {
      begin();
      prefix('discard');
      i += 2;
    } else if (c === '\\') {
      begin();
      const next = text[i + 1];
      if (next === undefined || isSpace(next) || isDelim(next)) {
        throw new EdnSyntaxError(`character literal '\\${next === undefined || isSpace(next) ? '' : next}' is not supported`, line);
      }
      for (i += 2; i < text.length && !isSpace(text[i]!) && !isDelim(text[i]!); i++);
      complete(i);
    } else {
      begin();
      const start = i;
      while (i < text.length && !isSpace(text[i]!) && !isDelim(text[i]!)) i++;
      if (c !== '#') complete(i);
      else if (i - start === 1) throw new EdnSyntaxError("'#' with no tag", line);
      else prefix('tag');
    }
  }
  if (frames.length > 1) {
    const f = here();
    throw new EdnSyntaxError(`'${f.open}' never closed (missing '${f.close}')`, f.line);
  }
  if (top.prefixes.length > 0) throw new EdnSyntaxError('a tag or #_ with no form at the end', line);
  return top.items!;
}

/** Reads one form's text, already checked by scanForms. */
export function readForm(text: string, line: number): Edn {
  let raw: unknown;
  try {
    raw = parseEDNString(text, { listAs: 'array', charAs: 'string', tagHandlers: { inst: (v) => v, uuid: (v) => v } });
  } catch (e) {
    throw new EdnSyntaxError((e as Error).message, line);
  }
  return fromEdnData(raw as EDNVal, line);
}

const NUMBERISH = /^[+-]?\d/;

function fromEdnData(v: EDNVal, line: number): Edn {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x) => fromEdnData(x, line));
  if (v instanceof Date) return v.toISOString();
  // Plain data only: edn-data makes Map and Set objects only when asked to.
  if (typeof v !== 'object' || v instanceof Map || v instanceof Set) throw new EdnSyntaxError('unreadable value', line);
  if ('key' in v) return new Keyword(v.key);
  if ('sym' in v) {
    // edn-data reads any token it cannot place as a symbol; one starting with a digit is a bad number.
    if (NUMBERISH.test(v.sym)) throw new EdnSyntaxError(`bad number '${v.sym}'`, line);
    return new Sym(v.sym);
  }
  if ('set' in v) return new EdnSet(v.set.map((x) => fromEdnData(x, line)));
  if ('map' in v) {
    const m = new EdnMap();
    for (const [k, x] of v.map) {
      const key = fromEdnData(k, line);
      m.entries.set(printEdn(key), [key, fromEdnData(x, line)]);
    }
    return m;
  }
  if ('tag' in v) return fromEdnData(v.val, line);
  throw new EdnSyntaxError('unreadable value', line);
}

/** Canonical printed form: equal values print equally (used for map keys and model values). */
export function printEdn(v: Edn): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Keyword || v instanceof Sym) return v.toString();
  if (Array.isArray(v)) return `[${v.map(printEdn).join(' ')}]`;
  if (v instanceof EdnSet) return `#{${v.items.map(printEdn).sort().join(' ')}}`;
  return `{${[...v.entries.values()].map(([k, x]) => `${printEdn(k)} ${printEdn(x)}`).join(', ')}}`;
}

/** Every top-level form of `text`. Throws EdnSyntaxError. */
export function parseEdn(text: string): Edn[] {
  return scanForms(text).map((s) => readForm(text.slice(s.start, s.end), s.line));
}
