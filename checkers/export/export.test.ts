// The export is checked by its promise: every history it writes, read back through lockstorm's
// own readers, gets the verdict the original gets under the lock model; everything outside the
// exact fragment is refused with one line; the output never lands on the input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../history/index.ts';
import { generateHistory, toJsonl } from '../../test/fixtures/generated-history.ts';
import { checkOperations } from '../linearizability/check.ts';
import { loadHistory } from '../readers/load.ts';
import { parseLockstormHistory } from '../readers/lockstorm.ts';
import { ExportRefusal, keysOf, lockToRegister } from './lock-register.ts';
import { renderExport, type ExportFormat } from './render.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'lockstorm-export-'));

function verdictOf(path: string, text: string, opts: Parameters<typeof loadHistory>[2] = {}): string {
  const h = loadHistory(path, text, opts);
  return checkOperations(h.model, h.ops, { timeoutMs: 30_000 }).verdict;
}

/** Each key exported and read back; linearizability is per key, so the whole is their conjunction. */
function exportedVerdict(events: HistoryEvent[], format: ExportFormat): string {
  const verdicts = keysOf(events).map((key) => {
    const text = renderExport(lockToRegister(events, { key }), format);
    // Read back as a user would: the EDN form by detection; the kv form needs the model named,
    // since Porcupine's kv model has no cas (docs/export.md).
    return format === 'edn' ? verdictOf('x.edn', text) : verdictOf('x.txt', text, { format: 'porcupine-kv', model: 'cas-register' });
  });
  return verdicts.includes('illegal') ? 'illegal' : verdicts.includes('unknown') ? 'unknown' : 'ok';
}

const faults = [
  { fault: 'reply-lost', targets: ['n1'], startMs: 300, endMs: 900 },
  { fault: 'link-down', targets: ['n2'], startMs: 1400, endMs: 2200 },
];
const generated: [string, HistoryEvent[]][] = [
  ...[1, 2, 3, 4, 5, 6].map((seed): [string, HistoryEvent[]] => [`seed ${seed}`, generateHistory({ seed, processes: 4, keys: ['a', 'b'], durationMs: 2500, faults })]),
  ['double holder', generateHistory({ seed: 9, processes: 3, keys: ['a'], durationMs: 1500, faults, doubleHolder: { key: 'z<&>"', atMs: 700 } })],
];

describe('export to a cas-register history', () => {
  it.each(generated)('%s: EDN and kv forms read back with the verdict of the original', (_name, events) => {
    const original = verdictOf('h.jsonl', toJsonl(events));
    expect(exportedVerdict(events, 'edn')).toBe(original);
    expect(exportedVerdict(events, 'porcupine-kv')).toBe(original);
  });

  it('the planted double holder is illegal before and after export (so the comparison can fail)', () => {
    const events = generated.find(([n]) => n === 'double holder')![1];
    expect(verdictOf('h.jsonl', toJsonl(events))).toBe('illegal');
    expect(exportedVerdict(events, 'edn')).toBe('illegal');
    expect(generated.filter(([n]) => n !== 'double holder').map(([, e]) => verdictOf('h.jsonl', toJsonl(e)))).toContain('ok');
  });

  it('every recorded fixture is exported with the same verdict or refused with the reason', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    const exportedFiles: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      const events = parseLockstormHistory(text);
      let exported: string;
      try {
        exported = exportedVerdict(events, 'edn');
      } catch (e) {
        // The recorded fixture has a lock TTL: expiry has no exact register image.
        expect(e).toBeInstanceOf(ExportRefusal);
        expect((e as Error).message).toMatch(/TTL of \d+ s/);
        continue;
      }
      expect(exported).toBe(verdictOf(f, text));
      exportedFiles.push(f);
    }
    // A real recording without a TTL (lwt under reply-lost cuts) must make the round trip.
    expect(exportedFiles).toContain('lwt-no-ttl-reply-lost.jsonl');
  });

  it('refuses events that do not pair, naming the line, rather than pair them its own way', () => {
    const base = generateHistory({ seed: 3, processes: 2, keys: ['a'], durationMs: 800, faults: [] });
    const at = base.findIndex((e) => e.type === 'ok');
    const broken = base.map((e, i) => (i === at ? { ...e, process: 99 } : e)) as HistoryEvent[];
    expect(() => lockToRegister(broken)).toThrow(new ExportRefusal(`line ${at + 1}: process 99 completes ${(base[at] as { f: string }).f} without a pending invocation`));
  });

  it('refuses, naming why, what has no exact image', () => {
    const base = generateHistory({ seed: 3, processes: 2, keys: ['a'], durationMs: 800, faults: [] });
    const ttl = generateHistory({ seed: 3, processes: 2, keys: ['a'], durationMs: 800, faults: [], ttlSeconds: 30 });
    expect(() => lockToRegister(ttl)).toThrow(/TTL of 30 s/);
    const twoKeys = generateHistory({ seed: 3, processes: 2, keys: ['a', 'b'], durationMs: 800, faults: [] });
    expect(() => lockToRegister(twoKeys)).toThrow(/2 keys .*--key/);
    expect(() => lockToRegister(base, { key: 'nope' })).toThrow(/no operation on that key/);
    // One owner acquiring twice: the planted intruders given one name.
    const planted = generateHistory({ seed: 3, processes: 2, keys: ['a'], durationMs: 800, faults: [], doubleHolder: { key: 'a', atMs: 300 } });
    const again = toJsonl(planted).replaceAll('"intruder-b"', '"intruder-a"');
    expect(() => lockToRegister(parseLockstormHistory(again))).toThrow(/"intruder-a" acquires a second time/);
    const anonymous = toJsonl(planted).replace('"state":"held","owner":"intruder-a"', '"state":"held","owner":null');
    expect(anonymous).not.toBe(toJsonl(planted));
    expect(() => lockToRegister(parseLockstormHistory(anonymous))).toThrow(/held without an owner/);
  });

  it('writes EDN strings that read back unchanged, whatever the owner', () => {
    const owner = 'q"\\\n\t\x1b\u202e✓';
    const events = generateHistory({ seed: 4, processes: 2, keys: ['k'], durationMs: 600, faults: [] });
    const acquired = events.find((e) => e.type === 'ok' && e.f === 'acquire') as { owner: string };
    const text = toJsonl(events).replaceAll(`"owner":"${acquired.owner}"`, JSON.stringify({ owner }).slice(1, -1));
    const edn = renderExport(lockToRegister(parseLockstormHistory(text)), 'edn');
    expect(edn).toContain('\\u001b');
    expect(edn).toContain('\\u202e');
    expect(edn).not.toMatch(/[\x1b\u202e]/);
    const back = loadHistory('x.edn', edn);
    expect(back.modelName).toBe('cas-register');
    // The register compares values by their printed EDN, which for a string is its JSON text.
    expect(back.ops.some((op) => (op.input as { to?: unknown }).to === JSON.stringify(owner))).toBe(true);
  });
});

describe('lockstorm export (CLI)', () => {
  const BIN = join(ROOT, 'bin/lockstorm.mjs');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  const history = join(tmp, 'h.jsonl');
  writeFileSync(history, toJsonl(generateHistory({ seed: 2, processes: 3, keys: ['k0'], durationMs: 900, faults })));

  it('writes --out through a rename and the result checks like the input', () => {
    const out = join(tmp, 'h.edn');
    const r = run(['export', history, '--format', 'edn', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(verdictOf(out, readFileSync(out, 'utf8'))).toBe(verdictOf(history, readFileSync(history, 'utf8')));
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to write over its input, and bad input, with one line and exit 2', () => {
    const before = readFileSync(history, 'utf8');
    for (const args of [
      ['export', history, '--format', 'edn', '--out', history],
      ['export', history, '--format', 'xml'],
      ['export', join(tmp, 'missing.jsonl'), '--format', 'edn'],
      ['export', join(FIXTURES, 'lwt-ttl-clock-skew.jsonl'), '--format', 'porcupine-kv'],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^(lockstorm|error): [^\n]*\n$/);
      expect(r.stderr).not.toMatch(/\s+at /);
    }
    expect(readFileSync(history, 'utf8')).toBe(before);
  });
});
