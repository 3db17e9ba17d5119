// The two-thread check gives the verdicts of the one-thread check, whichever thread decides.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadHistory } from '../readers/load.ts';
import type { KvInput, KvOutput } from '../models/kv.ts';
import { kvModel } from '../models/kv.ts';
import { checkOperations } from './check.ts';
import { checkOperationsParallel } from './parallel.ts';
import type { AnyOperation, CheckResult } from './types.ts';

const source = { module: new URL('../models/kv.ts', import.meta.url).href, exportName: 'kvModel' };
const fixture = (name: string) => {
  const path = new URL(`../../test/fixtures/porcupine/kv/${name}`, import.meta.url);
  return loadHistory(name, readFileSync(path, 'utf8'));
};
const ok = (process: number, input: KvInput, call: number, ret: number, output: KvOutput = null): AnyOperation => ({ process, input, call, outcome: 'ok', return: ret, output });

/** Every partition's linearization holds each of its operations exactly once. */
function expectCompleteLinearizations(result: CheckResult, ops: readonly AnyOperation[]): void {
  if (result.verdict !== 'ok') throw new Error(`expected ok, got ${result.verdict}`);
  const seen = result.linearizations.flatMap((l) => l.order).sort((a, b) => a - b);
  expect(seen).toEqual(ops.map((_, i) => i));
  for (const l of result.linearizations) for (const i of l.order) expect((ops[i]!.input as KvInput).key).toBe(l.key);
}

// 30 concurrent appends and a get of a value none of them can produce: not decidable in a test.
const intractable = (key: string, base: number): AnyOperation[] => [
  ...Array.from({ length: 30 }, (_, i) => ok(base + i, { f: 'append', key, value: String.fromCharCode(65 + i) }, 0, 100)),
  ok(base + 99, { f: 'get', key }, 101, 102, { value: 'nope' }),
];

describe('checkOperationsParallel', () => {
  it('agrees with checkOperations on Porcupine kv histories when the worker takes half the partitions at once', async () => {
    for (const name of ['c10-ok.txt', 'c50-ok.txt', 'c10-bad.txt', 'c50-bad.txt']) {
      const h = fixture(name);
      const r = await checkOperationsParallel(h.model, h.ops, { source, soloMs: 0, timeoutMs: 50_000 });
      expect(r.verdict, name).toBe(checkOperations(h.model, h.ops, { timeoutMs: 50_000 }).verdict);
      expect(r.partitions).toBe(10);
      if (r.verdict === 'ok') expectCompleteLinearizations(r, h.ops);
      if (r.verdict === 'illegal') expect(r.partial[0]!.order).not.toContain(r.partial[0]!.stuck);
    }
  }, 60_000);

  it('finds an illegal partition among intractable ones, on whichever thread has it', async () => {
    // Partitions in order: slow-a, bad, slow-b, slow-c. With no solo turn the worker takes every
    // other one at once: bad and slow-c; the main thread keeps slow-a and slow-b, and gets to the
    // worker's only when its own are done, which they never are.
    const bad = [ok(200, { f: 'put', key: 'bad', value: 'a' }, 0, 1), ok(201, { f: 'get', key: 'bad' }, 2, 3, { value: 'b' })];
    const ops = [...intractable('slow-a', 0), ...bad, ...intractable('slow-b', 300), ...intractable('slow-c', 600)];
    const r = await checkOperationsParallel(kvModel, ops, { source, soloMs: 0, timeoutMs: 20_000 });
    expect(r.verdict).toBe('illegal');
    if (r.verdict === 'illegal') expect(r.partial[0]).toEqual({ key: 'bad', order: [31], stuck: 32 });
  }, 30_000);

  it('takes the linearizations of the partitions the worker decided', async () => {
    // The main thread keeps slow-a and slow-b (intractable) and never gets to the worker's two.
    const one = (key: string, base: number) => [ok(base, { f: 'append', key, value: 'x' }, 0, 2), ok(base + 1, { f: 'get', key }, 1, 3, { value: 'x' })];
    const ops = [...intractable('slow-a', 0), ...one('one', 200), ...intractable('slow-b', 300), ...one('two', 400)];
    const r = await checkOperationsParallel(kvModel, ops, { source, soloMs: 0, timeoutMs: 8_000 });
    expect(r.verdict).toBe('unknown');
    if (r.verdict !== 'unknown') return;
    expect(r.pending.sort()).toEqual(['slow-a', 'slow-b']);
    expect(r.linearizations.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'one', order: [31, 32] },
      { key: 'two', order: [64, 65] },
    ]);
  }, 30_000);

  it('returns unknown naming the unfinished partitions when the budget runs out', async () => {
    const ops = [...intractable('slow-a', 0), ...intractable('slow-b', 100)];
    const r = await checkOperationsParallel(kvModel, ops, { source, soloMs: 0, timeoutMs: 300 });
    expect(r.verdict).toBe('unknown');
    if (r.verdict === 'unknown') expect(r.pending.sort()).toEqual(['slow-a', 'slow-b']);
  }, 30_000);

  it('is checkOperations without a model source', async () => {
    const h = fixture('c10-ok.txt');
    const r = await checkOperationsParallel(h.model, h.ops, { soloMs: 0 });
    expect(r).toEqual(checkOperations(h.model, h.ops));
  });
});
