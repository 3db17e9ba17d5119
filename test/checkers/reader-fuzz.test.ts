// Whatever bytes a history file holds, every reader either finds at least one operation in them
// or throws a HistoryError: never another exception, never a hang, never an empty history (an
// empty history would be checked, and pass).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../history/index.ts';
import { HistoryBuilder, held } from '../../checkers/lock/testing/history-builder.ts';
import { HistoryError } from '../../checkers/readers/history-error.ts';
import { readEdnHistory } from '../../checkers/readers/jepsen-edn.ts';
import { FORMATS, loadHistory, loadHistoryFile } from '../../checkers/readers/load.ts';
import { lockOperations, parseLockstormHistory, readLockstormFile, readLockstormPaired } from '../../checkers/readers/lockstorm.ts';
import { readEtcdLog } from '../../checkers/readers/porcupine-etcd.ts';
import { readKvLog } from '../../checkers/readers/porcupine-kv.ts';
import { decodeHistory, readHistoryFile } from '../../checkers/readers/read-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'lockstorm-reader-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = new URL('../fixtures/lwt-ttl-clock-skew.jsonl', import.meta.url).pathname;

/** How many reads found operations: the inputs must reach past the readers' first checks. */
let reads = 0;

/** Runs `read`; true when it returned something non-empty, false when it threw a HistoryError. */
function readsOrRefuses(read: () => number): boolean {
  let size: number;
  try {
    size = read();
  } catch (e) {
    if (e instanceof HistoryError) return false;
    throw e;
  }
  expect(size).toBeGreaterThan(0);
  reads += 1;
  return true;
}

const clientEvents = (events: readonly HistoryEvent[]) => events.filter((e) => e.type !== 'meta' && e.type !== 'nemesis' && e.type !== 'end').length;

/** Every reader and every way of loading, on one text. */
function everyReader(text: string): void {
  readsOrRefuses(() => clientEvents(parseLockstormHistory(text)));
  readsOrRefuses(() => readEtcdLog(text).length);
  readsOrRefuses(() => readKvLog(text).length);
  readsOrRefuses(() => readEdnHistory(text).length);
  for (const path of ['h', 'h.jsonl', 'h.edn', 'h.log', 'h.txt']) readsOrRefuses(() => loadHistory(path, text).ops.length);
  for (const format of FORMATS) readsOrRefuses(() => loadHistory('h', text, { format }).ops.length);
}

/** Everything that reads a file, on one file. */
function everyFileReader(path: string): void {
  readsOrRefuses(() => readHistoryFile(path).length + 1);
  readsOrRefuses(() => clientEvents(readLockstormFile(path)));
  readsOrRefuses(() => ((h) => h.ops.length + h.guarded.length)(readLockstormPaired(path)));
  readsOrRefuses(() => loadHistoryFile(path).ops.length);
  for (const format of FORMATS) readsOrRefuses(() => loadHistoryFile(path, { format }).ops.length);
}

// Lines close to each format, so that the readers get past their first check now and then.
const smallInt = fc.oneof(fc.nat(5), fc.integer(), fc.constantFrom(-1, 1e300, 2 ** 53, 2592000000000001));
const lockstormLine = fc
  .record(
    {
      index: smallInt,
      time: fc.oneof(fc.nat(10), smallInt, fc.double()),
      type: fc.constantFrom('meta', 'invoke', 'ok', 'fail', 'info', 'nemesis', 'end', 'other'),
      process: fc.nat(3),
      f: fc.constantFrom('acquire', 'release', 'read'),
      key: fc.constantFrom('k', 'k\uFFFD', ''),
      owner: fc.constantFrom('a', 'b', 'a\uFFFD'),
      value: fc.oneof(fc.constant({ state: 'free', owner: null, row: null }), fc.constant({ state: 'held', owner: 'a', row: {} }), fc.jsonValue({ maxDepth: 3 })),
      error: fc.string({ maxLength: 3 }),
      recipe: fc.constant('x'),
      params: fc.constant({ ttlSeconds: 5 }),
      status: fc.constantFrom('complete', 'interrupted', 'nope'),
      phase: fc.constantFrom('start', 'stop'),
      fault: fc.constant('f'),
      targets: fc.constant(['n1']),
    },
    { requiredKeys: ['type'] },
  )
  .map((o) => JSON.stringify(o));
const ednType = fc.constantFrom(':invoke', ':ok', ':fail', ':info', ':other');
const ednValue = fc.constantFrom('nil', '1', '[1 2]', '"x"', ':timed-out', '[', '#{}', '');
const ednLine = fc
  .tuple(fc.oneof(fc.nat(3), fc.constant(':nemesis')), ednType, fc.constantFrom(':read', ':write', ':cas', ':get', ':put', ':append'), ednValue, fc.boolean())
  .map(([p, type, f, v, key]) => `{:process ${p}, :type ${type}, :f ${f}${key ? ', :key "1"' : ''}, :value ${v}}`);
const etcdLine = fc
  .tuple(fc.oneof(fc.nat(3), fc.constant(99999999999999999999)), ednType, fc.constantFrom(':read', ':write', ':cas'), ednValue)
  .map(([p, type, f, v]) => `INFO jepsen.util - ${p} ${type} ${f} ${v}`);
const separator = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '');
/** Lines of one kind, joined by mostly good, sometimes bad, line endings. */
const linesOf = (line: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(fc.tuple(line, separator), { maxLength: 8 }), fc.boolean()).map(([ls, meta]) => {
    const head = meta ? '{"index":0,"time":0,"type":"meta","recipe":"x","params":{"ttlSeconds":5}}\n' : '';
    return head + ls.map(([l, sep]) => l + sep).join('');
  });
const texts = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.json({ maxDepth: 4 }),
  fc.array(fc.json({ maxDepth: 3 }), { maxLength: 5 }).map((ls) => ls.join('\n')),
  linesOf(lockstormLine),
  linesOf(ednLine),
  linesOf(etcdLine),
  fc.nat(100_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

// A hang fails the test at its timeout; the limit is loose because the suite shares two cores.
describe('readers on arbitrary input', { timeout: 30_000 }, () => {
  it('strings: an operation or a HistoryError, from every reader', () => {
    fc.assert(
      fc.property(texts, (text) => everyReader(text)),
      { numRuns: 150 },
    );
  });

  it('well-formed histories of every format with a line changed: the same', () => {
    const b = new HistoryBuilder('lwt', { ttlSeconds: 5 });
    b.acquire(0, 'k', 'a');
    b.read(1, 'k', held('a'));
    b.release(0, 'k', 'a');
    const bases = [
      b.events.map((e) => JSON.stringify(e)).join('\n'),
      'INFO jepsen.util - 0 :invoke :write 1\nINFO jepsen.util - 0 :ok :write 1\nINFO jepsen.util - 1 :invoke :read nil\nINFO jepsen.util - 1 :ok :read 1',
      '{:process 0, :type :invoke, :f :put, :key "1", :value "x"}\n{:process 0, :type :ok, :f :put, :key "1", :value "x"}',
      '[{:type :invoke, :f :write, :value 1, :process 0, :index 0}\n{:type :ok, :f :write, :value 1, :process 0, :index 1}]',
    ];
    for (const base of bases) expect(readsOrRefuses(() => loadHistory('h', base).ops.length)).toBe(true);
    const before = reads;
    const change = fc.option(fc.tuple(fc.nat(), fc.oneof(lockstormLine, ednLine, etcdLine, fc.string({ maxLength: 20 }))), { freq: 2 });
    fc.assert(
      fc.property(fc.constantFrom(...bases), change, fc.constantFrom('\n', '\r\n', '\r', ''), (base, c, sep) => {
        const lines = base.split('\n');
        if (c !== null) lines[c[0] % lines.length] = c[1];
        everyReader(lines.join(sep) + sep);
      }),
      { numRuns: 200 },
    );
    // Some of them were histories: the property was tested on both of its sides.
    expect(reads).toBeGreaterThan(before);
  });

  it('bytes: decoded strictly, then an operation or a HistoryError', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      texts.map((t) => new TextEncoder().encode(t)),
      // Mostly valid text with a few arbitrary bytes written over it.
      fc.tuple(linesOf(lockstormLine), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })).map(([t, flips]) => {
        const b = new TextEncoder().encode(t);
        for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
        return b;
      }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        let text: string;
        try {
          text = decodeHistory(b);
        } catch (e) {
          expect(e).toBeInstanceOf(HistoryError);
          return;
        }
        everyReader(text);
      }),
      { numRuns: 200 },
    );
  });

  it('raw files: an operation or a HistoryError, from every file reader', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), texts.map((t) => new TextEncoder().encode(t))), (b) => {
        const path = join(dir, `raw-${n++}`);
        writeFileSync(path, b);
        everyFileReader(path);
      }),
      { numRuns: 60 },
    );
  });
});

describe('line endings and bytes that would change what a history says', () => {
  const original = readFileSync(fixture, 'utf8');
  const events = readLockstormFile(fixture);

  it('a real history with its \\n turned into \\r is refused, never read as no events', () => {
    const path = join(dir, 'cr.jsonl');
    writeFileSync(path, original.replaceAll('\n', '\r'));
    expect(() => readLockstormFile(path)).toThrow(/cr\.jsonl:1: a carriage return/);
    expect(() => loadHistoryFile(path)).toThrow(HistoryError);
    expect(() => loadHistory('cr', original.replaceAll('\n', '\r'))).toThrow(HistoryError);
  });

  it('the same history with \\r\\n endings reads as the original', () => {
    const path = join(dir, 'crlf.jsonl');
    writeFileSync(path, original.replaceAll('\n', '\r\n'));
    expect(readLockstormFile(path)).toEqual(events);
    expect(loadHistoryFile(path).ops).toEqual(loadHistory(fixture, original).ops);
  });

  it('two owners that differ only in a byte that is not UTF-8 are refused, not merged', () => {
    // A double holder: p0 and p1 both hold k. With the owners' bytes replaced by a lossy
    // decoder they would be one owner re-acquiring its own lock.
    const b = new HistoryBuilder('lwt', { ttlSeconds: 0 });
    b.acquire(0, 'k', 'p\u0001');
    b.acquire(1, 'k', 'p\u0002');
    const text = b.events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const marks = text.replace(/\\u0001/g, '\u0001').replace(/\\u0002/g, '\u0002');
    fc.assert(
      fc.property(fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0x80, max: 0xff }), (x, y) => {
        fc.pre(x !== y);
        const bytes = Buffer.from(marks).map((v) => (v === 1 ? x : v === 2 ? y : v));
        const path = join(dir, 'owners.jsonl');
        writeFileSync(path, bytes);
        expect(() => readLockstormFile(path)).toThrow(/owners\.jsonl:2: not UTF-8$/);
        expect(() => loadHistoryFile(path)).toThrow(HistoryError);
        // Decoded lossily elsewhere, the text still does not pass as a history.
        expect(() => lockOperations(parseLockstormHistory(Buffer.from(bytes).toString('utf8')))).toThrow(/^2: owner: contains U\+FFFD/);
      }),
      { numRuns: 40 },
    );
  });
});
