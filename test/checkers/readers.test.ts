// History readers: Jepsen EDN, Porcupine logs, lockstorm JSONL, and their one-line errors.

import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import { EdnMap, Keyword, parseEdn, printEdn } from '../../checkers/readers/edn.ts';
import { HistoryError } from '../../checkers/readers/history-error.ts';
import { readEdnHistory } from '../../checkers/readers/jepsen-edn.ts';
import { detectFormat, loadHistory } from '../../checkers/readers/load.ts';
import { lockOperations, parseLockstormHistory } from '../../checkers/readers/lockstorm.ts';
import { readEtcdLog } from '../../checkers/readers/porcupine-etcd.ts';
import { lockHistory } from './lock-history-builder.ts';
import { errorOf } from './error-of.ts';


describe('EDN', () => {
  it('reads the forms Jepsen writes', () => {
    const [v] = parseEdn('#jepsen.history.Op{:type :ok, :f :cas, :value [1 2] :s "a\\"b" :set #{3} :n -4.5 :c \\x #_ :gone}');
    expect(v).toBeInstanceOf(EdnMap);
    const m = v as EdnMap;
    expect(m.kw('type')).toEqual(new Keyword('ok'));
    expect(m.kw('value')).toEqual([1, 2]);
    expect(m.kw('s')).toBe('a"b');
    expect(m.kw('n')).toBe(-4.5);
    expect(m.kw('c')).toBe('x');
    expect(printEdn(m.kw('set')!)).toBe('#{3}');
  });
});

const vectorHistory = `[{:type :invoke, :f :write, :value 1, :process 0, :time 1, :index 0}
 {:type :invoke, :f :read, :value nil, :process 1, :time 2, :index 1} ; a comment
 {:type :info, :f :start, :value nil, :process :nemesis, :time 3, :index 2}
 {:type :ok, :f :write, :value 1, :process 0, :time 4, :index 3}
 {:type :ok, :f :read, :value 1, :process 1, :time 5, :index 4}
 {:type :invoke, :f :cas, :value [1 2], :process 0, :time 6, :index 5}
 {:type :fail, :f :cas, :value [1 2], :process 0, :time 7, :index 6}
 {:type :invoke, :f :cas, :value [1 3], :process 1, :time 8, :index 7}
 {:type :info, :f :cas, :value [1 3], :process 1, :time 9, :index 8}
 {:type :invoke, :f :read, :value nil, :process 0, :time 10, :index 9}]`;

describe('Jepsen EDN histories', () => {
  it('pairs ops per process, skips the nemesis, and turns unreturned ops into info', () => {
    const ops = readEdnHistory(vectorHistory);
    expect(ops.map((o) => [o.process, o.f, o.outcome])).toEqual([
      [0, 'write', 'ok'],
      [1, 'read', 'ok'],
      [0, 'cas', 'fail'],
      [1, 'cas', 'info'],
      [0, 'read', 'info'],
    ]);
    expect(ops[1]!.lines).toEqual([2, 5]);
  });

  it('reads one map per line the same as a vector', () => {
    const lines = vectorHistory.slice(1, -1).replace(/ ; a comment/, '');
    expect(readEdnHistory(lines).map((o) => o.outcome)).toEqual(readEdnHistory(vectorHistory).map((o) => o.outcome));
  });

  it('checks against the cas-register, dropping the failed cas', () => {
    const h = loadHistory('h.edn', vectorHistory);
    expect(h.modelName).toBe('cas-register');
    expect(h.ops).toHaveLength(4);
    expect(checkOperations(h.model, h.ops).verdict).toBe('ok');
    const bad = vectorHistory.replace(':type :ok, :f :read, :value 1', ':type :ok, :f :read, :value 7');
    expect(checkOperations(h.model, loadHistory('h.edn', bad).ops).verdict).toBe('illegal');
  });

  it('names the line of a bad op', () => {
    const e = errorOf(() => readEdnHistory('{:type :invoke, :f :read, :process 0}\n{:type :done, :f :read, :process 0}\n'));
    expect(e.line).toBe(2);
    expect(e.message).toBe('2: :type must be one of :invoke :ok :fail :info');
    expect(errorOf(() => readEdnHistory('{:type :ok, :f :read, :process 3}')).message).toMatch(/without a pending invocation/);
    expect(errorOf(() => readEdnHistory('[{:type :invoke')).message).toMatch(/EDN syntax/);
    expect(errorOf(() => readEdnHistory('{:type :invoke :f :read :process 0 :index 5}\n{:type :ok :f :read :process 0 :index 4}')).message).toMatch(/^2: :index 4/);
  });

  it('knows a mutex history and rejects a double acquire', () => {
    const h = loadHistory(
      'm.edn',
      `{:type :invoke :f :acquire :process 0}
{:type :ok :f :acquire :process 0}
{:type :invoke :f :acquire :process 1}
{:type :ok :f :acquire :process 1}`,
    );
    expect(h.modelName).toBe('mutex');
    expect(checkOperations(h.model, h.ops).verdict).toBe('illegal');
  });
});

describe('Porcupine logs', () => {
  it('reads etcd lines separated by tabs or spaces, and timed-out reads', () => {
    const ops = readEtcdLog('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO jepsen.util - 0 :fail :read :timed-out\n');
    expect(ops).toHaveLength(1);
    expect(ops[0]!.outcome).toBe('fail');
    expect(errorOf(() => readEtcdLog('INFO jepsen.util - 0 :invoke :read nil\ngarbage\n')).line).toBe(2);
  });

  it('infers formats from content and extension', () => {
    expect(detectFormat('x.log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil')).toBe('porcupine-etcd');
    expect(detectFormat('x.txt', '{:process 0, :type :invoke, :f :get, :key "1", :value nil}')).toBe('porcupine-kv');
    expect(detectFormat('history.edn', '{:type :invoke, :f :read, :process 0, :time 5}')).toBe('edn');
    expect(detectFormat('history.jsonl', '{"type":"meta"}')).toBe('lockstorm');
  });
});

describe('lockstorm JSONL', () => {
  const good = lockHistory(5, [
    [0, 'invoke', 'acquire', 'k', 'a', 0],
    [0, 'ok', 'acquire', 'k', 'a', 1],
    [1, 'invoke', 'read', 'k', 2],
    [1, 'ok', 'read', 'k', 'a', 3],
    [2, 'invoke', 'release', 'k', 'a', 4],
  ]);
  const text = good.map((e) => JSON.stringify(e)).join('\n') + '\n';

  it('round-trips valid events and converts them to lock operations', () => {
    const events = parseLockstormHistory(text);
    expect(events).toEqual(good);
    const l = lockOperations(events);
    expect(l.ttl).toBe(4e9);
    expect(lockOperations(events, { expirySlackSeconds: 0 }).ttl).toBe(5e9);
    expect(lockOperations(events, { ttlSeconds: 0 }).ttl).toBe(Infinity);
    expect(l.owners).toEqual(['a']);
    expect(l.ops.map((o) => [o.input.f, o.outcome, o.ref])).toEqual([
      ['acquire', 'ok', [1, 2]],
      ['read', 'ok', [3, 4]],
      ['release', 'info', [5]],
    ]);
  });

  it('tolerates a torn last line but nothing else', () => {
    expect(parseLockstormHistory(text + '\n')).toHaveLength(good.length);
    expect(parseLockstormHistory(text + '{"index":6,"ty')).toHaveLength(good.length);
    expect(errorOf(() => parseLockstormHistory(text + '{"index":6,"ty\n')).line).toBe(7);
    expect(errorOf(() => parseLockstormHistory(text.replace('\n', '\n\n'))).line).toBe(2);
  });

  it('reports the first bad line with the field at fault', () => {
    const lines = text.trim().split('\n');
    const withLine = (n: number, line: string) => lines.map((l, i) => (i === n - 1 ? line : l)).join('\n');
    expect(errorOf(() => parseLockstormHistory(withLine(3, '{"type":"ok"')))).toMatchObject({ line: 3 });
    expect(errorOf(() => parseLockstormHistory(withLine(3, lines[2]!.replace('"key":"k",', '')))).message).toMatch(/^3: key: /);
    expect(errorOf(() => parseLockstormHistory(withLine(2, lines[1]!.replace('"acquire"', '"grab"')))).message).toMatch(/^2: f: /);
    expect(errorOf(() => parseLockstormHistory(withLine(4, lines[3]!.replace('"index":3', '"index":9')))).message).toMatch(/^4: index: /);
    expect(errorOf(() => lockOperations(parseLockstormHistory(lines.slice(0, 1).concat(lines.slice(2)).join('\n').replace(/"index":(\d+)/g, (_, d: string) => `"index":${Math.max(0, Number(d) - 1)}`)))).message).toMatch(
      /without a pending invocation/,
    );
  });
});

describe('what is not a lockstorm history', () => {
  const good = lockHistory(5, [
    [0, 'invoke', 'acquire', 'k', 'a', 0],
    [0, 'ok', 'acquire', 'k', 'a', 1],
  ]);
  const lines = good.map((e) => JSON.stringify(e));
  const text = lines.join('\n') + '\n';
  const meta = lines[0]!;
  const nemesis = (index: number, time = 0) => JSON.stringify({ index, time, type: 'nemesis', phase: 'start', fault: 'f', targets: [] });
  const end = (index: number) => JSON.stringify({ index, time: 2e6, type: 'end', status: 'complete' });

  it('needs the meta event on its first line', () => {
    expect(errorOf(() => parseLockstormHistory('')).message).toMatch(/^empty: /);
    expect(errorOf(() => parseLockstormHistory('\n\n')).message).toMatch(/^empty: /);
    expect(errorOf(() => parseLockstormHistory('abc')).message).toMatch(/^1: not JSON .*starts with its meta event/);
    expect(errorOf(() => parseLockstormHistory(meta.slice(0, 20))).line).toBe(1);
    expect(errorOf(() => parseLockstormHistory(lines[1]!.replace('"index":1', '"index":0') + '\n')).message).toMatch(/^1: type: the first line must be the meta event/);
    expect(errorOf(() => parseLockstormHistory(text + meta.replace('"index":0', '"index":3').replace('"time":0', '"time":5000000') + '\n')).message).toMatch(
      /^4: type: only the first line/,
    );
  });

  it('needs at least one client event', () => {
    expect(errorOf(() => parseLockstormHistory(meta + '\n')).message).toMatch(/^no client operations/);
    expect(errorOf(() => parseLockstormHistory([meta, nemesis(1), nemesis(2)].join('\n') + '\n')).message).toMatch(/^no client operations/);
    expect(errorOf(() => parseLockstormHistory([meta, end(1)].join('\n') + '\n')).message).toMatch(/^no client operations/);
  });

  it('reads \\r\\n endings as \\n and refuses any other carriage return', () => {
    expect(parseLockstormHistory(text.replaceAll('\n', '\r\n'))).toEqual(good);
    const cr = errorOf(() => parseLockstormHistory(text.replaceAll('\n', '\r')));
    expect(cr.message).toMatch(/^1: a carriage return/);
    expect(errorOf(() => parseLockstormHistory(lines[0] + '\n' + lines[1]!.replace(',', ',\r') + '\n')).line).toBe(2);
  });

  it('bounds nesting before anything recurses into a value', () => {
    const deep = (n: number) => nemesis(1).replace('"targets":[]', `"targets":[],"detail":{"a":${'['.repeat(n)}${']'.repeat(n)}}`);
    const withDeep = (n: number) => [meta, deep(n), lines[1]!.replace('"index":1', '"index":2')].join('\n') + '\n';
    // The event object and `detail` are two levels already.
    expect(parseLockstormHistory(withDeep(30))).toHaveLength(3);
    expect(errorOf(() => parseLockstormHistory(withDeep(31))).message).toBe('2: nested deeper than 32 arrays/objects');
    expect(errorOf(() => parseLockstormHistory(withDeep(100_000))).line).toBe(2);
    // Brackets inside strings are text, not nesting.
    expect(parseLockstormHistory(text.replace('"recipe":"test"', `"recipe":"${'[{'.repeat(100)}\\"["`))).toHaveLength(3);
  });

  it('takes only whole, sane, non-decreasing times', () => {
    const at = (time: string) => text.replace('"time":1000000', `"time":${time}`);
    expect(parseLockstormHistory(at('2592000000000000'))).toHaveLength(3);
    expect(errorOf(() => parseLockstormHistory(at('2592000000000001'))).message).toMatch(/^3: time: expected at most/);
    expect(errorOf(() => parseLockstormHistory(at('1e300'))).message).toMatch(/^3: time: /);
    expect(errorOf(() => parseLockstormHistory(at('1e400'))).message).toMatch(/^3: time: /);
    expect(errorOf(() => parseLockstormHistory(at('-1'))).message).toMatch(/^3: time: /);
    expect(errorOf(() => parseLockstormHistory(at('1.5'))).message).toMatch(/^3: time: expected whole nanoseconds/);
    const backwards = text.replace('"time":0,"process"', '"time":2000000,"process"');
    expect(errorOf(() => parseLockstormHistory(backwards)).message).toBe("3: time: 1000000 is earlier than line 2's 2000000 (time never decreases)");
  });

  it('takes one end event, on the last line only', () => {
    expect(parseLockstormHistory(text + end(3) + '\n').at(-1)).toMatchObject({ type: 'end', status: 'complete' });
    expect(errorOf(() => parseLockstormHistory(text + end(3) + '\n' + end(4) + '\n')).message).toBe('5: follows the end event of line 4, which must be the last line');
    expect(errorOf(() => parseLockstormHistory([meta, end(1), lines[1]!.replace('"index":1', '"index":2')].join('\n'))).line).toBe(3);
    // Not even a torn line may follow it.
    expect(errorOf(() => parseLockstormHistory(text + end(3) + '\n{"index":4,"ti')).line).toBe(5);
  });

  it('tolerates a torn last line only when it starts an event', () => {
    expect(parseLockstormHistory(text + '{"index":3,"ti')).toHaveLength(3);
    expect(errorOf(() => parseLockstormHistory(text + 'garbage')).line).toBe(4);
  });

  it('refuses owners and keys carrying U+FFFD, so that lossily decoded tokens never merge', () => {
    const e = errorOf(() => parseLockstormHistory(text.replaceAll('"owner":"a"', '"owner":"a\uFFFD"')));
    expect(e.message).toMatch(/^2: owner: contains U\+FFFD/);
    expect(errorOf(() => parseLockstormHistory(text.replaceAll('"key":"k"', '"key":"\uFFFD"'))).message).toMatch(/^2: key: contains U\+FFFD/);
  });
});

describe('loadHistory never returns an empty history', () => {
  it('refuses text that is in no format it reads, saying what it expected', () => {
    for (const text of ['abc', 'hello world\n', '42', '\u0000\u0001']) {
      expect(errorOf(() => loadHistory('h.txt', text)).message).toMatch(/^not a history in any format lockstorm reads: expected a lockstorm history/);
    }
    expect(errorOf(() => loadHistory('h', '')).message).toMatch(/^empty: /);
    expect(errorOf(() => loadHistory('h', '  \n ;; only a comment\n')).message).toMatch(/^empty: /);
  });

  it('refuses every format holding no client operation', () => {
    expect(errorOf(() => loadHistory('etcd_095.log', '')).message).toMatch(/^no client operations/);
    expect(errorOf(() => loadHistory('h.edn', '[]')).message).toMatch(/^no (client )?operations/);
    expect(errorOf(() => loadHistory('h.edn', '[{:type :info, :f :start, :process :nemesis}]')).message).toMatch(/^no (client )?operations/);
    expect(errorOf(() => loadHistory('h.jsonl', '')).message).toMatch(/^empty: /);
    for (const format of ['lockstorm', 'edn', 'porcupine-etcd', 'porcupine-kv'] as const) {
      expect(() => loadHistory('h', '', { format })).toThrow(HistoryError);
    }
  });

  it('refuses a history whose every operation drops out of the model', () => {
    const allFailed = lockHistory(5, [
      [0, 'invoke', 'acquire', 'k', 'a', 0],
      [0, 'fail', 'acquire', 'k', 'a', 1],
    ]);
    const e = errorOf(() => loadHistory('h.jsonl', allFailed.map((x) => JSON.stringify(x)).join('\n') + '\n'));
    expect(e.message).toMatch(/^no operations to check/);
  });
});
