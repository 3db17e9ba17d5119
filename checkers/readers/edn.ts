// A small reader for the subset of EDN that Jepsen histories use: nil, booleans, numbers,
// strings, characters, keywords, symbols, lists, vectors, maps, sets, tagged literals (the tag is
// dropped: `#jepsen.history.Op{...}` reads as its map), `#_` discards and `;` comments.

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

export type Edn = null | boolean | number | string | Keyword | Sym | Edn[] | EdnSet | EdnMap;

export class EdnSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const DELIMS = new Set(['(', ')', '[', ']', '{', '}', '"', ';']);

function isSpace(c: string): boolean {
  return c === ' ' || c === ',' || c === '\n' || c === '\r' || c === '\t' || c === '\f';
}

export class EdnReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  get offset(): number {
    return this.pos;
  }

  /** Consumes `c` if it is the next non-blank character. */
  accept(c: string): boolean {
    this.skip();
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** Skips whitespace and comments; true when input remains. */
  more(): boolean {
    this.skip();
    return this.pos < this.text.length;
  }

  read(): Edn {
    this.skip();
    const t = this.text;
    if (this.pos >= t.length) throw new EdnSyntaxError('unexpected end of input', this.pos);
    const c = t[this.pos]!;
    switch (c) {
      case '(':
        this.pos++;
        return this.readSeq(')');
      case '[':
        this.pos++;
        return this.readSeq(']');
      case '{': {
        this.pos++;
        return this.readMap();
      }
      case '"':
        return this.readString();
      case '\\':
        return this.readChar();
      case '#': {
        const d = t[this.pos + 1];
        if (d === '{') {
          this.pos += 2;
          return new EdnSet(this.readSeq('}'));
        }
        if (d === '_') {
          this.pos += 2;
          this.read();
          return this.read();
        }
        this.pos++;
        this.readToken(); // tag
        return this.read();
      }
      case ')':
      case ']':
      case '}':
        throw new EdnSyntaxError(`unexpected '${c}'`, this.pos);
      default:
        return this.readAtom();
    }
  }

  private skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (isSpace(c)) this.pos++;
      else if (c === ';') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else if (c === '#' && t[this.pos + 1] === '_') {
        this.pos += 2;
        this.read();
      } else break;
    }
  }

  private readSeq(close: string): Edn[] {
    const items: Edn[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) throw new EdnSyntaxError(`missing '${close}'`, this.pos);
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.read());
    }
  }

  private readMap(): EdnMap {
    const items = this.readSeq('}');
    if (items.length % 2 !== 0) throw new EdnSyntaxError('map with an odd number of forms', this.pos);
    const m = new EdnMap();
    for (let i = 0; i < items.length; i += 2) m.entries.set(printEdn(items[i]!), [items[i]!, items[i + 1]!]);
    return m;
  }

  private readString(): string {
    const t = this.text;
    let out = '';
    this.pos++;
    for (;;) {
      if (this.pos >= t.length) throw new EdnSyntaxError('unterminated string', this.pos);
      const c = t[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = t[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'b') out += '\b';
      else if (e === 'f') out += '\f';
      else if (e === 'u') {
        out += String.fromCharCode(parseInt(t.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else if (e === '"' || e === '\\') out += e;
      else throw new EdnSyntaxError(`bad escape '\\${e ?? ''}' in string`, this.pos);
    }
  }

  private readChar(): string {
    this.pos++;
    const tok = this.readToken();
    const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r' };
    if (tok.length === 0) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new EdnSyntaxError('character literal at end of input', this.pos);
      return c;
    }
    return named[tok] ?? tok;
  }

  private readToken(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && !isSpace(t[this.pos]!) && !DELIMS.has(t[this.pos]!)) this.pos++;
    return t.slice(start, this.pos);
  }

  private readAtom(): Edn {
    const start = this.pos;
    const tok = this.readToken();
    if (tok === '') throw new EdnSyntaxError(`unexpected '${this.text[start]}'`, start);
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok.startsWith(':')) return new Keyword(tok.slice(1));
    if (/^[+-]?\d/.test(tok)) {
      const num = tok.replace(/[NM]$/, '');
      const ratio = /^([+-]?\d+)\/(\d+)$/.exec(num);
      const v = ratio ? Number(ratio[1]) / Number(ratio[2]) : Number(num);
      if (Number.isNaN(v)) throw new EdnSyntaxError(`bad number '${tok}'`, start);
      return v;
    }
    return new Sym(tok);
  }
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

export function parseEdn(text: string): Edn[] {
  const r = new EdnReader(text);
  const out: Edn[] = [];
  while (r.more()) out.push(r.read());
  return out;
}

/**
 * The records of a history file: the items of one top-level vector, or every top-level form.
 * Each comes with the 1-based line it starts on.
 */
export function readRecords(text: string): { value: Edn; line: number }[] {
  const r = new EdnReader(text);
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out: { value: Edn; line: number }[] = [];
  const wrapped = r.accept('[');
  try {
    for (;;) {
      if (!r.more()) {
        if (wrapped) throw new EdnSyntaxError("missing ']'", r.offset);
        break;
      }
      if (wrapped && r.accept(']')) {
        if (r.more()) throw new EdnSyntaxError('unexpected form after the history vector', r.offset);
        break;
      }
      r.more();
      const line = lineOf(r.offset);
      out.push({ value: r.read(), line });
    }
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new EdnSyntaxError(e.message, lineOf(e.offset));
    throw e;
  }
  return out;
}
