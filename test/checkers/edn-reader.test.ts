// Jepsen EDN histories as lockstorm reads them (edn-data underneath): the three shapes a history
// comes in, values, and one HistoryError naming the line for anything malformed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import { parseEdn, printEdn } from '../../checkers/readers/edn.ts';
import { HistoryError } from '../../checkers/readers/history-error.ts';
import { readEdnHistory } from '../../checkers/readers/jepsen-edn.ts';
import { loadHistory } from '../../checkers/readers/load.ts';
import { errorOf } from './error-of.ts';

const ops = [
  '{:type :invoke, :f :write, :value 1, :process 0, :index 0}',
  '{:type :invoke, :f :read, :value nil, :process 1, :index 1}',
  '{:type :info, :f :kill, :value nil, :process :nemesis, :index 2}',
  '{:type :ok, :f :write, :value 1, :process 0, :index 3}',
  '{:type :ok, :f :read, :value 1, :process 1, :index 4}',
];
const asVector = `[${ops.join('\n ')}]`;
const asList = `(${ops.join('\n ')})`;
const asLines = ops.join('\n') + '\n';


const summary = (text: string) => readEdnHistory(text).map((o) => [o.process, o.f, o.outcome, printEdn(o.value), o.lines]);

describe('Jepsen EDN history shapes', () => {
  it('reads a vector, a list and one map per line alike, each op with its lines', () => {
    const expected = [
      [0, 'write', 'ok', '1', [1, 4]],
      [1, 'read', 'ok', '1', [2, 5]],
    ];
    expect(summary(asVector)).toEqual(expected);
    expect(summary(asList)).toEqual(expected);
    expect(summary(asLines)).toEqual(expected);
  });

  it('checks a list-shaped history end to end, as Knossos would read it', () => {
    const h = loadHistory('history.edn', asList);
    expect(h.modelName).toBe('register');
    expect(h.ops).toHaveLength(2);
    expect(checkOperations(h.model, h.ops).verdict).toBe('ok');
    // A read of a value nobody wrote cannot be linearized.
    const phantom = loadHistory('history.edn', asList.replace(':type :ok, :f :read, :value 1', ':type :ok, :f :read, :value 2'));
    expect(checkOperations(phantom.model, phantom.ops).verdict).toBe('illegal');
  });

  it('drops tags and #_ discards, wherever they stand', () => {
    const text = `[#_ {:junk 1} #jepsen.history.Op{:type :invoke, :f :read, :process 0, :value #_ 9 nil}
 #_ #_ :a :b #jepsen.history.Op{:type :ok, :f :read, :process 0, :value 3}]`;
    expect(summary(text)).toEqual([[0, 'read', 'ok', '3', [1, 2]]]);
    // A discarded op takes no line: the next one is on its own.
    expect(summary(`#_ {:junk 1}\n${ops[0]}\n${ops[3]}`)).toEqual([[0, 'write', 'ok', '1', [2, 3]]]);
  });
});

describe('EDN values', () => {
  it('reads the values Jepsen writes, printed canonically', () => {
    const forms = parseEdn('nil true -4.5 12N "a\\"b" \\x :k sym [1 (2 3)] #{3 1} {:a 1, "b" [2]} #inst "2026-01-01"');
    expect(forms.map(printEdn)).toEqual(['nil', 'true', '-4.5', '12', '"a\\"b"', '"x"', ':k', 'sym', '[1 [2 3]]', '#{1 3}', '{:a 1, "b" [2]}', '"2026-01-01"']);
  });
});

describe('malformed EDN histories', () => {
  const op = (rest: string) => `{:type :invoke, :f :read, :process 0${rest}}`;
  it.each([
    ['an unclosed vector', `[${op('')}\n${op('')}`, 1, /EDN syntax: '\[' never closed/],
    ['an unclosed map on line 2', `${op('')}\n{:type :ok, :f :read`, 2, /EDN syntax: '\{' never closed/],
    ['a stray closer', `${op('')}\n]`, 2, /EDN syntax: unexpected '\]'/],
    ['a closer of the wrong kind', op(', :value [1 2)'), 1, /EDN syntax: '\)' where '\]' should close/],
    ['a map with an odd number of forms', op(', :value'), 1, /EDN syntax: the map of line 1 has an odd number of forms/],
    ['a string never closed', `${op('')}\n${op(', :value "abc')}\n`, 2, /EDN syntax: string never closed/],
    ['a bad escape in a string', op(', :value "a\\qb"'), 1, /EDN syntax: .*\\q/],
    ['a bad number', `${op('')}\n\n${op(', :value 1.2.3')}`, 3, /EDN syntax: bad number '1\.2\.3'/],
    ['a lone #', op(', :value # 1'), 1, /EDN syntax: '#' with no tag/],
    ['a tag with no form', `${op('')} #foo`, 1, /EDN syntax: a tag or #_ with no form/],
    ['a delimiter character literal', op(', :value \\)'), 1, /EDN syntax: character literal/],
    ['words', 'hello world', 1, /expected an op map/],
    ['two vectors', `[${op('')}]\n[${op('')}]`, 1, /expected an op map/],
    ['a list of numbers', '(1 2 3)', 1, /expected an op map/],
    ['tags stacked too deep', op(`, :value ${'#t '.repeat(10_000)}1`), 1, /EDN syntax: more than \d+ tags/],
    ['values nested too deep', `${op('')}\n${op(`, :value ${'['.repeat(10_000)}${']'.repeat(10_000)}`)}`, 2, /EDN syntax: nested deeper than \d+ levels/],
  ])('%s is a HistoryError on its line', (_name, text, line, message) => {
    const e = errorOf(() => readEdnHistory(text));
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`${line}: `)).toBe(true);
  });

  it.each([
    ['nothing', ''],
    ['only a comment', '; no ops\n'],
    ['an empty vector', '[]'],
    ['an empty list', '( )'],
    ['only nemesis events', '{:type :info, :f :start, :process :nemesis}'],
  ])('%s is a HistoryError: no client operations', (_name, text) => {
    expect(errorOf(() => readEdnHistory(text)).message).toMatch(/^no client operations/);
  });

  it('throws nothing but HistoryError, whatever the text', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', '(', ')', '#{', '#_', '#tag', '"', '\\', '\\x', ';', '\n', ' ', ',', ':type', ':invoke', ':ok', ':f', ':read', ':process', '0', '1.5', 'nil', '"s"', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        try {
          readEdnHistory(pieces.join(''));
        } catch (e) {
          if (!(e instanceof HistoryError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
