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

function errorOf(f: () => unknown): HistoryError {
  try {
    f();
  } catch (e) {
    if (e instanceof HistoryError) return e;
    throw e;
  }
  throw new Error('expected a HistoryError');
}

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
