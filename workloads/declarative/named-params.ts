// Named parameters in a declarative recipe's CQL (`:key`, `:owner`, …) → the positional `?`
// markers the Executor takes, with the names in order. A colon inside a quoted string literal
// is text, not a parameter.

export interface BoundCql {
  /** The statement with every `:name` replaced by `?`. */
  cql: string;
  /** The parameter names in the order of their markers (a name may repeat). */
  names: string[];
  /** True when the text already has a positional `?` outside a string literal. */
  positional: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

export function bindNamed(text: string): BoundCql {
  let cql = '';
  const names: string[] = [];
  let positional = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") quoted = !quoted; // '' inside a literal toggles twice: still inside
    if (!quoted && c === '?') positional = true;
    if (!quoted && c === ':' && NAME_START.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j]!)) j++;
      names.push(text.slice(i + 1, j));
      cql += '?';
      i = j - 1;
      continue;
    }
    cql += c;
  }
  return { cql, names, positional };
}
