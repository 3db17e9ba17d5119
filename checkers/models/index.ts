// Models by name, with how each is fed from a Jepsen-style (paired) history.

import type { AnyModel, AnyOperation } from '../linearizability/types.ts';
import type { PairedOp } from '../readers/pairs.ts';
import { etcdModel, etcdOperations } from './etcd.ts';
import { kvModel, kvOperations } from './kv.ts';
import { mutexModel, mutexOperations } from './mutex.ts';
import { casRegisterModel, registerModel, registerOperations } from './register.ts';
import type { ModelName } from './names.ts';

export { MODEL_NAMES, type ModelName } from './names.ts';

export interface PairedModel {
  model: AnyModel;
  operations(pairs: readonly PairedOp[]): AnyOperation[];
}

/** Every model but `lock`, which reads lockstorm histories (see readers/lockstorm.ts). */
export const pairedModels: Record<Exclude<ModelName, 'lock'>, PairedModel> = {
  register: { model: registerModel, operations: (p) => registerOperations(p, false) },
  'cas-register': { model: casRegisterModel, operations: (p) => registerOperations(p, true) },
  mutex: { model: mutexModel, operations: mutexOperations },
  etcd: { model: etcdModel, operations: etcdOperations },
  kv: { model: kvModel, operations: kvOperations },
};

/** The Knossos model a Jepsen history most likely targets, from the operations it uses. */
export function guessModel(pairs: readonly PairedOp[]): Exclude<ModelName, 'lock'> {
  const fs = new Set(pairs.map((p) => p.f));
  if (fs.has('acquire') || fs.has('release')) return 'mutex';
  if (fs.has('get') || fs.has('put') || fs.has('append')) return 'kv';
  if (fs.has('cas')) return 'cas-register';
  return 'register';
}
