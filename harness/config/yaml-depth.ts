// How deep YAML text nests, read from the lexer's tokens before anything is parsed. The parser
// and composer slow down sharply and can run out of memory on deep nesting (`[[[[…`, `- - - …`),
// and out-of-memory cannot be caught; the lexer itself is linear, so the check runs first.
//
// The figure is an estimate, not the exact depth: flow brackets count exactly; in block context a
// line counts one level per enclosing indentation plus every `-`, `?` and `:` on the line
// (compact nesting). A sequence at its parent key's indentation goes uncounted, so the true depth
// can be larger: this guards the parser against pathological text, and the parsed value's exact
// depth is checked afterwards.
import { CST, Lexer } from 'yaml';

export interface TooDeep {
  /** 1-based line where the bound was first passed. */
  line: number;
}

export function firstTooDeep(text: string, maxDepth: number): TooDeep | null {
  let line = 1;
  let flow = 0;
  let indicators = 0;
  let atLineStart = true;
  let column = 0;
  let scalarNext = false;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    if (scalarNext) {
      // The text of a plain or block scalar: its content is not structure.
      scalarNext = false;
      line += countNewlines(token);
      if (token.endsWith('\n')) {
        atLineStart = true;
        column = 0;
        indicators = 0;
      }
      continue;
    }
    const type = CST.tokenType(token);
    if (type === 'scalar') {
      scalarNext = true;
    } else if (type === 'newline') {
      line += 1;
      atLineStart = true;
      column = 0;
      indicators = 0;
      continue;
    } else if (type === 'space') {
      line += countNewlines(token);
      if (atLineStart) column = token.length;
      continue;
    } else if (type === 'comment' || type === 'doc-mode' || type === 'byte-order-mark') {
      continue;
    }
    if (atLineStart) {
      atLineStart = false;
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! >= column) indents.pop();
        indents.push(column);
      }
    }
    if (type === 'flow-map-start' || type === 'flow-seq-start') flow += 1;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) indicators += 1;
    else if (type === 'double-quoted-scalar' || type === 'single-quoted-scalar') line += countNewlines(token);
    if (indents.length + indicators + flow > maxDepth) return { line };
  }
  return null;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n += 1;
  return n;
}
