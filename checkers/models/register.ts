// Knossos' register and cas-register. Values compare by their EDN text; nil is the initial
// value. As in Knossos, a read that completed with nil is a read whose value is unknown, so it
// matches any state. A cas applies iff the register holds its expected value.

import type { Model } from '../linearizability/types.ts';
import type { PairedOp } from '../readers/pairs.ts';
import { HistoryError } from '../readers/history-error.ts';
import { convert, hashString, show, unsupported, valueOf } from './adapt.ts';

export type RegisterInput =
  | { f: 'read' }
  | { f: 'write'; value: string | null }
  | { f: 'cas'; from: string | null; to: string | null };

/** What a read returned (null: unknown); nothing for writes and cas. */
export type RegisterOutput = { value: string | null } | null;

type Value = string | null;

function makeRegister(name: string): Model<Value, RegisterInput, RegisterOutput> {
  return {
    name,
    init: () => null,
    step(state, input, output) {
      switch (input.f) {
        case 'read': {
          const seen = output?.value ?? null;
          return seen === null || seen === state ? state : undefined;
        }
        case 'write':
          return input.value;
        case 'cas':
          return state === input.from ? input.to : undefined;
      }
    },
    equal: (a, b) => a === b,
    hash: hashString,
    describeOperation(input, output) {
      switch (input.f) {
        case 'read':
          return `read → ${output === undefined ? '?' : show(output?.value ?? null)}`;
        case 'write':
          return `write ${show(input.value)}`;
        case 'cas':
          return `cas ${show(input.from)} → ${show(input.to)}`;
      }
    },
    describeState: show,
  };
}

export const registerModel = makeRegister('register');
export const casRegisterModel = makeRegister('cas-register');

export function registerOperations(pairs: readonly PairedOp[], withCas: boolean) {
  const model = withCas ? 'cas-register' : 'register';
  return convert<RegisterInput, RegisterOutput>(pairs, (p) => {
    switch (p.f) {
      case 'read':
        return { input: { f: 'read' }, output: { value: p.outcome === 'ok' ? valueOf(p.value) : null } };
      case 'write':
        return { input: { f: 'write', value: valueOf(p.invoke) }, output: null };
      case 'cas': {
        if (!withCas) return unsupported(p, model);
        if (!Array.isArray(p.invoke) || p.invoke.length !== 2) {
          throw new HistoryError(':cas value must be a vector [expected new]', p.lines[0]);
        }
        return { input: { f: 'cas', from: valueOf(p.invoke[0]!), to: valueOf(p.invoke[1]!) }, output: null };
      }
      default:
        return unsupported(p, model);
    }
  });
}
