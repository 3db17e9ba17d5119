// Porcupine's kv model: per key a string, initially empty; get returns it, put replaces it,
// append concatenates. Keys are independent partitions.

import type { Model } from '../linearizability/types.ts';
import { HistoryError } from '../readers/history-error.ts';
import type { PairedOp } from '../readers/pairs.ts';
import { convert, extendHash, hashString, unsupported } from './adapt.ts';

export type KvInput = { f: 'get'; key: string } | { f: 'put' | 'append'; key: string; value: string };
export type KvOutput = { value: string } | null;

export const kvModel: Model<string, KvInput, KvOutput> = {
  name: 'kv',
  init: () => '',
  step(state, input, output) {
    switch (input.f) {
      case 'get':
        return output === undefined || output === null || output.value === state ? state : undefined;
      case 'put':
        return input.value;
      case 'append':
        return state + input.value;
    }
  },
  equal: (a, b) => a === b,
  hash: hashString,
  // Appends grow the state: hashing only what was appended keeps a step's cost independent of
  // the state's length.
  stepHash: (h, _state, input) => (input.f === 'append' ? extendHash(h, input.value) : input.f === 'put' ? hashString(input.value) : h),
  partition: (input) => input.key,
  describeOperation(input, output) {
    if (input.f === 'get') return `get(${JSON.stringify(input.key)}) → ${output ? JSON.stringify(output.value) : '?'}`;
    return `${input.f}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})`;
  },
  describeState: (s) => JSON.stringify(s),
};

export function kvOperations(pairs: readonly PairedOp[]) {
  return convert<KvInput, KvOutput>(pairs, (p) => {
    const line = p.lines[0];
    const key = p.extra['key'];
    if (typeof key !== 'string') throw new HistoryError(':key must be a string', line);
    switch (p.f) {
      case 'get': {
        if (p.outcome !== 'ok') return { input: { f: 'get', key }, output: null };
        if (typeof p.value !== 'string') throw new HistoryError('a completed :get needs a string :value', p.lines[1]);
        return { input: { f: 'get', key }, output: { value: p.value } };
      }
      case 'put':
      case 'append':
        if (typeof p.invoke !== 'string') throw new HistoryError(`:${p.f} needs a string :value`, line);
        return { input: { f: p.f, key, value: p.invoke }, output: null };
      default:
        return unsupported(p, 'kv');
    }
  });
}
