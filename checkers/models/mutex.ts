// Knossos' mutex: acquiring a held lock or releasing a free one is illegal. No owners.

import type { Model } from '../linearizability/types.ts';
import type { PairedOp } from '../readers/pairs.ts';
import { convert, unsupported } from './adapt.ts';

export type MutexInput = { f: 'acquire' } | { f: 'release' };

export const mutexModel: Model<boolean, MutexInput, null> = {
  name: 'mutex',
  init: () => false,
  step: (locked, input) => (input.f === 'acquire' ? (locked ? undefined : true) : locked ? false : undefined),
  equal: (a, b) => a === b,
  hash: (s) => (s ? 1 : 0),
  describeOperation: (input) => input.f,
  describeState: (s) => (s ? 'locked' : 'free'),
};

export function mutexOperations(pairs: readonly PairedOp[]) {
  return convert<MutexInput, null>(pairs, (p) =>
    p.f === 'acquire' || p.f === 'release' ? { input: { f: p.f }, output: null } : unsupported(p, 'mutex'),
  );
}
