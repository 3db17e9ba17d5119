// Porcupine's etcd register: one register, initially absent. A failed cas definitely did not
// apply, so it is kept (it proves the value differed); a read that failed (timed out) returned
// nothing, so any value is acceptable.

import type { Model } from '../linearizability/types.ts';
import { HistoryError } from '../readers/history-error.ts';
import type { PairedOp } from '../readers/pairs.ts';
import { convert, unsupported } from './adapt.ts';

export type EtcdInput = { f: 'read' } | { f: 'write'; value: number } | { f: 'cas'; from: number; to: number };
export type EtcdOutput = { f: 'read'; value: number | null } | { f: 'read-unknown' } | { f: 'write' } | { f: 'cas'; ok: boolean };

type Value = number | null;

export const etcdModel: Model<Value, EtcdInput, EtcdOutput> = {
  name: 'etcd',
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        if (output === undefined || output.f === 'read-unknown') return state;
        return output.f === 'read' && output.value === state ? state : undefined;
      case 'write':
        return input.value;
      case 'cas': {
        const applies = state === input.from;
        if (output === undefined) return applies ? input.to : state;
        if (output.f !== 'cas' || output.ok !== applies) return undefined;
        return applies ? input.to : state;
      }
    }
  },
  equal: (a, b) => a === b,
  hash: (s) => (s === null ? -1 : s | 0),
  describeOperation(input, output) {
    const out = output === undefined ? '?' : output.f === 'read' ? String(output.value ?? 'nil') : output.f === 'cas' ? (output.ok ? 'ok' : 'fail') : output.f === 'read-unknown' ? 'timed out' : 'ok';
    if (input.f === 'read') return `read → ${out}`;
    if (input.f === 'write') return `write ${input.value}`;
    return `cas ${input.from} → ${input.to}: ${out}`;
  },
  describeState: (s) => (s === null ? 'absent' : String(s)),
};

function int(v: unknown, line: number | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new HistoryError(`${what} must be an integer`, line);
  return v;
}

export function etcdOperations(pairs: readonly PairedOp[]) {
  return convert<EtcdInput, EtcdOutput>(
    pairs,
    (p) => {
      const line = p.lines[0];
      switch (p.f) {
        case 'read': {
          if (p.outcome === 'fail') return { input: { f: 'read' }, output: { f: 'read-unknown' } };
          const v = p.outcome === 'ok' ? p.value : null;
          return { input: { f: 'read' }, output: { f: 'read', value: v === null ? null : int(v, p.lines[1], 'read value') } };
        }
        case 'write':
          return { input: { f: 'write', value: int(p.invoke, line, 'write value') }, output: { f: 'write' } };
        case 'cas': {
          if (!Array.isArray(p.invoke) || p.invoke.length !== 2) throw new HistoryError('cas value must be [expected new]', line);
          const input: EtcdInput = { f: 'cas', from: int(p.invoke[0], line, 'cas expected'), to: int(p.invoke[1], line, 'cas new') };
          return { input, output: { f: 'cas', ok: p.outcome === 'ok' } };
        }
        default:
          return unsupported(p, 'etcd');
      }
    },
    true,
  );
}
