// From a history file's text to (model, operations): detects the format when not given,
// reads it, and picks the model (the format's own, unless one is named).

import type { AnyModel, AnyOperation } from '../linearizability/types.ts';
import { guessModel, MODEL_NAMES, pairedModels, type ModelName } from '../models/index.ts';
import { HistoryError } from './history-error.ts';
import { readEdnHistory } from './jepsen-edn.ts';
import { lockModelFor, lockOperations, parseLockstormHistory } from './lockstorm.ts';
import { looksLikeEtcdLog, readEtcdLog } from './porcupine-etcd.ts';
import { readKvLog } from './porcupine-kv.ts';
import type { PairedOp } from './pairs.ts';

export const FORMATS = ['lockstorm', 'edn', 'porcupine-etcd', 'porcupine-kv'] as const;
export type Format = (typeof FORMATS)[number];

export interface LoadedHistory {
  format: Format;
  modelName: ModelName;
  model: AnyModel;
  ops: AnyOperation[];
}

export function detectFormat(path: string, text: string): Format {
  if (path.endsWith('.jsonl') || path.endsWith('.json')) return 'lockstorm';
  const first = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  if (first.startsWith('{"') || first.startsWith('{ "')) return 'lockstorm';
  if (looksLikeEtcdLog(text) || path.endsWith('.log')) return 'porcupine-etcd';
  if (first.startsWith('{') && /:key\s/.test(first) && !/:time\s/.test(first)) return 'porcupine-kv';
  return 'edn';
}

export function loadHistory(path: string, text: string, opts: { format?: Format; model?: ModelName } = {}): LoadedHistory {
  const format = opts.format ?? detectFormat(path, text);
  if (format === 'lockstorm') {
    if (opts.model !== undefined && opts.model !== 'lock') {
      throw new HistoryError(`--model ${opts.model} cannot read a lockstorm history (use lock)`);
    }
    const l = lockOperations(parseLockstormHistory(text));
    return { format, modelName: 'lock', model: lockModelFor(l), ops: l.ops };
  }
  let pairs: PairedOp[];
  if (format === 'porcupine-etcd') pairs = readEtcdLog(text);
  else if (format === 'porcupine-kv') pairs = readKvLog(text);
  else pairs = readEdnHistory(text);
  const defaultModel = format === 'porcupine-etcd' ? 'etcd' : format === 'porcupine-kv' ? 'kv' : guessModel(pairs);
  const modelName = opts.model ?? defaultModel;
  if (modelName === 'lock') throw new HistoryError('the lock model reads lockstorm histories only');
  if (!MODEL_NAMES.includes(modelName)) throw new HistoryError(`unknown model ${String(modelName)}`);
  const m = pairedModels[modelName];
  return { format, modelName, model: m.model, ops: m.operations(pairs) };
}
