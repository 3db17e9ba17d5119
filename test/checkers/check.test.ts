// The generic search: info operations, partitions, the time budget and witnesses.

import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import type { AnyOperation } from '../../checkers/linearizability/types.ts';
import { kvModel, type KvInput, type KvOutput } from '../../checkers/models/kv.ts';
import { mutexModel } from '../../checkers/models/mutex.ts';
import { registerModel } from '../../checkers/models/register.ts';

const ok = (process: number, input: unknown, call: number, ret: number, output: unknown = null): AnyOperation => ({
  process,
  input,
  call,
  outcome: 'ok',
  return: ret,
  output,
});
const info = (process: number, input: unknown, call: number): AnyOperation => ({ process, input, call, outcome: 'info' });

describe('info operations', () => {
  it('may never take effect, even where taking effect would be illegal (mutex)', () => {
    // Giving the info acquire a return at the end and requiring it would make this illegal.
    const ops = [ok(0, { f: 'acquire' }, 0, 1), info(1, { f: 'acquire' }, 2)];
    expect(checkOperations(mutexModel, ops).verdict).toBe('ok');
  });

  it('may take effect long after their call, but not before it', () => {
    const write = info(0, { f: 'write', value: '"x"' }, 10);
    const readAt = (call: number) => ok(1, { f: 'read' }, call, call + 1, { value: '"x"' });
    expect(checkOperations(registerModel, [write, readAt(1000)]).verdict).toBe('ok');
    expect(checkOperations(registerModel, [write, readAt(5)]).verdict).toBe('illegal');
  });
});

describe('partitions and the time budget', () => {
  // 30 concurrent appends and a get of a value none of them can produce: refuting it means
  // trying every subset of appends, which no budget here allows.
  const intractable: AnyOperation[] = [
    ...Array.from({ length: 30 }, (_, i) => ok(i, { f: 'append', key: 'slow', value: String.fromCharCode(65 + i) } satisfies KvInput, 0, 100)),
    ok(99, { f: 'get', key: 'slow' } satisfies KvInput, 101, 102, { value: 'nope' } satisfies KvOutput),
  ];
  const illegal: AnyOperation[] = [
    ok(100, { f: 'put', key: 'bad', value: 'a' } satisfies KvInput, 0, 1),
    ok(101, { f: 'get', key: 'bad' } satisfies KvInput, 2, 3, { value: 'b' } satisfies KvOutput),
  ];

  it('returns unknown, naming the unfinished partition, when the budget runs out', () => {
    const r = checkOperations(kvModel, intractable, { timeoutMs: 200 });
    expect(r.verdict).toBe('unknown');
    if (r.verdict === 'unknown') expect(r.pending).toEqual(['slow']);
  });

  it('finds an illegal partition while another one is intractable', () => {
    const r = checkOperations(kvModel, [...intractable, ...illegal], { timeoutMs: 20_000 });
    expect(r.verdict).toBe('illegal');
    if (r.verdict === 'illegal') {
      expect(r.partial[0]).toEqual({ key: 'bad', order: [30 + 1], stuck: 30 + 2 });
    }
  });

  it('returns the linearization of every partition when ok', () => {
    const ops = [ok(0, { f: 'put', key: 'a', value: 'x' }, 0, 5), ok(1, { f: 'get', key: 'a' }, 1, 2, { value: '' }), ok(2, { f: 'get', key: 'b' }, 0, 1, { value: '' })];
    const r = checkOperations(kvModel, ops);
    expect(r.verdict).toBe('ok');
    if (r.verdict === 'ok') {
      expect(r.linearizations.find((l) => l.key === 'a')?.order).toEqual([1, 0]);
      expect(r.linearizations.find((l) => l.key === 'b')?.order).toEqual([2]);
    }
  });
});
