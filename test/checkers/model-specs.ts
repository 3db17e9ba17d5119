// Per-model test fixtures: random (mostly wrong) operations for brute-force comparison, and a
// sequential implementation that produces correct outputs for simulated concurrent runs.

import fc from 'fast-check';
import type { AnyModel, AnyOperation } from '../../checkers/linearizability/types.ts';
import { withoutUnobservableAcquires } from '../../checkers/readers/lockstorm.ts';
import { etcdModel } from '../../checkers/models/etcd.ts';
import { kvModel } from '../../checkers/models/kv.ts';
import { createLockModel, type LockInput, type LockOutput } from '../../checkers/models/lock.ts';
import { mutexModel } from '../../checkers/models/mutex.ts';
import { casRegisterModel, registerModel } from '../../checkers/models/register.ts';

export const TTL = 6;

/** What an implementation answers; `fail` means "definitely did not happen" (dropped). */
export type Response = { output: unknown; next: unknown } | 'fail';

export interface ModelSpec {
  name: string;
  model: AnyModel;
  /** The model the brute force replays (default: `model`). */
  reference?: AnyModel;
  /** What the reader does to operations before the checker sees them (the brute force sees all). */
  prepare?: (ops: AnyOperation[]) => AnyOperation[];
  /** A random input and a random (possibly impossible) output, given the op's times. */
  arbOp: fc.Arbitrary<(call: number, ret: number) => { input: unknown; output: unknown }>;
  /** A correct sequential implementation, at linearization instant `at`. */
  respond(state: unknown, input: unknown, at: number): Response;
  arbInput: fc.Arbitrary<(call: number, ret: number) => unknown>;
  initImpl: unknown;
}

const val = fc.constantFrom(null, '1', '2', '3');
const num = fc.integer({ min: 0, max: 3 });
const constant = <T>(x: T) => () => x;

const registerSpec = (withCas: boolean): ModelSpec => {
  const input = withCas
    ? fc.oneof(
        fc.constant({ f: 'read' }),
        val.map((value) => ({ f: 'write', value })),
        fc.tuple(val, val).map(([from, to]) => ({ f: 'cas', from, to })),
      )
    : fc.oneof(fc.constant({ f: 'read' }), val.map((value) => ({ f: 'write', value })));
  return {
    name: withCas ? 'cas-register' : 'register',
    model: withCas ? casRegisterModel : registerModel,
    arbOp: fc.tuple(input, val).map(([i, v]) => constant({ input: i, output: i.f === 'read' ? { value: v } : null })),
    arbInput: input.map(constant),
    initImpl: null,
    respond(state, input) {
      const i = input as { f: string; value?: string | null; from?: string | null; to?: string | null };
      if (i.f === 'read') return { output: { value: state }, next: state };
      if (i.f === 'write') return { output: null, next: i.value };
      return state === i.from ? { output: null, next: i.to } : 'fail';
    },
  };
};

const mutexSpec: ModelSpec = {
  name: 'mutex',
  model: mutexModel,
  arbOp: fc.constantFrom('acquire', 'release').map((f) => constant({ input: { f }, output: null })),
  arbInput: fc.constantFrom('acquire', 'release').map((f) => constant({ f })),
  initImpl: false,
  respond(locked, input) {
    const acquire = (input as { f: string }).f === 'acquire';
    if (acquire === locked) return 'fail';
    return { output: null, next: acquire };
  },
};

const etcdInput = fc.oneof(
  fc.constant({ f: 'read' }),
  num.map((value) => ({ f: 'write', value })),
  fc.tuple(num, num).map(([from, to]) => ({ f: 'cas', from, to })),
);
const etcdSpec: ModelSpec = {
  name: 'etcd',
  model: etcdModel,
  arbOp: fc.tuple(etcdInput, fc.option(num), fc.boolean()).map(([i, v, ok]) =>
    constant({ input: i, output: i.f === 'read' ? { f: 'read', value: v } : i.f === 'write' ? { f: 'write' } : { f: 'cas', ok } }),
  ),
  arbInput: etcdInput.map(constant),
  initImpl: null,
  respond(state, input) {
    const i = input as { f: string; value?: number; from?: number; to?: number };
    if (i.f === 'read') return { output: { f: 'read', value: state }, next: state };
    if (i.f === 'write') return { output: { f: 'write' }, next: i.value };
    const ok = state === i.from;
    return { output: { f: 'cas', ok }, next: ok ? i.to : state };
  },
};

const kvKey = fc.constantFrom('a', 'b');
const kvInput = fc.oneof(
  kvKey.map((key) => ({ f: 'get', key })),
  fc.tuple(kvKey, fc.constantFrom('x', 'y')).map(([key, value]) => ({ f: 'put', key, value })),
  fc.tuple(kvKey, fc.constantFrom('x', 'y')).map(([key, value]) => ({ f: 'append', key, value })),
);
const kvSpec: ModelSpec = {
  name: 'kv',
  model: kvModel,
  arbOp: fc
    .tuple(kvInput, fc.constantFrom('', 'x', 'y', 'xy', 'yx', 'xx'))
    .map(([i, v]) => constant({ input: i, output: i.f === 'get' ? { value: v } : null })),
  arbInput: kvInput.map(constant),
  initImpl: new Map<string, string>(),
  respond(state, input) {
    const m = state as Map<string, string>;
    const i = input as { f: string; key: string; value?: string };
    const cur = m.get(i.key) ?? '';
    if (i.f === 'get') return { output: { value: cur }, next: m };
    const next = new Map(m);
    next.set(i.key, i.f === 'put' ? i.value! : cur + i.value!);
    return { output: null, next };
  },
};

// The lock model as docs/lock-model.md states it, without the search's pruning rule, so the
// brute force checks that pruning never loses a linearization.
interface RefState {
  holder: number;
  since: number;
  clock: number;
}
export const referenceLockModel: AnyModel = {
  name: 'lock-reference',
  init: (): RefState => ({ holder: -1, since: 0, clock: -Infinity }),
  step(s: RefState, i: LockInput, out: LockOutput | undefined): RefState | undefined {
    const info = i.ret === Infinity;
    if (i.ret < s.clock) return undefined;
    const clock = info ? s.clock : Math.max(s.clock, i.call);
    const canExpire = s.holder !== -1 && i.ret - s.since >= TTL;
    const freed = { holder: -1, since: 0, clock: Math.max(clock, s.since + TTL) };
    if (i.f === 'acquire') {
      if (s.holder === i.owner) return { ...s, clock };
      const base = s.holder === -1 ? { holder: -1, since: 0, clock } : canExpire ? freed : undefined;
      if (!base) return undefined;
      return { holder: i.owner, since: info ? i.call : base.clock, clock: base.clock };
    }
    if (i.f === 'release') {
      if (s.holder === i.owner || s.holder === -1) return { holder: -1, since: 0, clock };
      return canExpire ? freed : undefined;
    }
    if (out === undefined || out.f !== 'read') return { ...s, clock };
    if (!out.held) return s.holder === -1 ? { ...s, clock } : canExpire ? freed : undefined;
    if (s.holder === -1) return undefined;
    return out.owner === null || out.owner === s.holder ? { ...s, clock } : undefined;
  },
  equal: (a: RefState, b: RefState) => a.holder === b.holder && a.since === b.since && a.clock === b.clock,
  partition: (i: LockInput) => i.key,
};

const lockKey = fc.constantFrom('k0', 'k1');
const lockInput = fc.tuple(fc.constantFrom('acquire', 'release', 'read'), lockKey, num).map(
  ([f, key, owner]) =>
    (call: number, ret: number): LockInput =>
      f === 'read' ? { f, key, call, ret } : { f: f as 'acquire' | 'release', key, owner, call, ret },
);
const lockSpec: ModelSpec = {
  name: 'lock',
  model: createLockModel({ ttl: TTL }),
  reference: referenceLockModel,
  prepare: (ops) => withoutUnobservableAcquires(ops as Parameters<typeof withoutUnobservableAcquires>[0]),
  arbOp: fc
    .tuple(lockInput, fc.oneof(fc.constant({ f: 'read', held: false }), fc.option(num).map((owner) => ({ f: 'read', held: true, owner }))))
    .map(([mk, out]) => (call: number, ret: number) => {
      const input = mk(call, ret);
      return { input, output: input.f === 'read' ? out : { f: 'done' } };
    }),
  arbInput: lockInput,
  initImpl: new Map<string, { owner: number; expires: number }>(),
  respond(state, input, at) {
    const m = state as Map<string, { owner: number; expires: number }>;
    const i = input as LockInput;
    const cur = m.get(i.key);
    const holder = cur && cur.expires > at ? cur.owner : -1;
    if (i.f === 'read') return { output: holder === -1 ? { f: 'read', held: false } : { f: 'read', held: true, owner: holder }, next: m };
    const next = new Map(m);
    if (i.f === 'acquire') {
      if (holder !== -1) return 'fail';
      next.set(i.key, { owner: i.owner, expires: at + TTL });
      return { output: { f: 'done' }, next };
    }
    if (holder !== i.owner) return 'fail';
    next.delete(i.key);
    return { output: { f: 'done' }, next };
  },
};

export const specs: ModelSpec[] = [registerSpec(false), registerSpec(true), mutexSpec, etcdSpec, kvSpec, lockSpec];
