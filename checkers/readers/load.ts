// From a history file's text to (model, operations): detects the format when not given,
// reads it, and picks the model (the format's own, unless one is named). Whatever the input,
// the result has at least one operation, or a HistoryError says why not.

import type { AnyModel, AnyOperation } from '../linearizability/types.ts';
import { guessModel, MODEL_NAMES, pairedModels, type ModelName } from '../models/index.ts';
import { HistoryError } from './history-error.ts';
import { readEdnHistory } from './jepsen-edn.ts';
import { lockModelFor, lockOperations, parseLockstormHistory } from './lockstorm.ts';
import { looksLikeEtcdLog, readEtcdLog } from './porcupine-etcd.ts';
import { readKvLog } from './porcupine-kv.ts';
import type { PairedOp } from './pairs.ts';
import { readHistoryFile } from './read-file.ts';
import type { Format } from './formats.ts';

export { FORMATS, type Format } from './formats.ts';

export interface LoadedHistory {
  format: Format;
  modelName: ModelName;
  model: AnyModel;
  ops: AnyOperation[];
}

const EXPECTED =
  'expected a lockstorm history (JSON lines, the first a meta event), a Porcupine etcd log ' +
  '(`INFO jepsen.util - <process> :<type> :<f> <value>` lines), a Porcupine kv log or a Jepsen ' +
  'EDN history ({:type ... :process ... :f ...} maps, one per line or in a vector); or name the format with --format';

/** The first line that is neither blank nor an EDN comment, trimmed. */
function firstContentLine(text: string): string {
  for (const l of text.split('\n')) {
    const t = l.trim();
    if (t !== '' && !t.startsWith(';')) return t;
  }
  return '';
}

/**
 * The format a file is in, by extension, then by its first line. Text that looks like none of
 * them is an error: no reader is handed garbage to make an empty history of.
 */
export function detectFormat(path: string, text: string): Format {
  if (path.endsWith('.jsonl') || path.endsWith('.json')) return 'lockstorm';
  const first = firstContentLine(text);
  if (first.startsWith('{"') || first.startsWith('{ "')) return 'lockstorm';
  if (looksLikeEtcdLog(text) || path.endsWith('.log')) return 'porcupine-etcd';
  if (first.startsWith('{') && /:key\s/.test(first) && !/:time\s/.test(first)) return 'porcupine-kv';
  if (path.endsWith('.edn') || /^(\[|\{|#[\w.{])/.test(first)) return 'edn';
  if (first === '') throw new HistoryError(`empty: no events; ${EXPECTED}`);
  throw new HistoryError(`not a history in any format lockstorm reads: ${EXPECTED}`);
}

export function loadHistory(path: string, text: string, opts: { format?: Format; model?: ModelName } = {}): LoadedHistory {
  const format = opts.format ?? detectFormat(path, text);
  const loaded = loadAs(format, text, opts.model);
  if (loaded.ops.length === 0) throw noOperationsToCheck(loaded.modelName);
  return loaded;
}

/**
 * Every client operation was one that cannot constrain the model (e.g. all failed): a verdict
 * over nothing would say nothing, so it is not given.
 */
export function noOperationsToCheck(modelName: ModelName): HistoryError {
  return new HistoryError(`no operations to check: none of its client operations can have taken effect (${modelName} model)`);
}

/** A lockstorm history is read with the lock model only. */
export function refuseModelForLockstorm(model: ModelName | undefined): void {
  if (model !== undefined && model !== 'lock') throw new HistoryError(`--model ${model} cannot read a lockstorm history (use lock)`);
}

/** Reads the file (readHistoryFile) and loads it; every error names the file. */
export function loadHistoryFile(path: string, opts: { format?: Format; model?: ModelName } = {}): LoadedHistory {
  const text = readHistoryFile(path);
  try {
    return loadHistory(path, text, opts);
  } catch (e) {
    if (e instanceof HistoryError) throw e.inFile(path);
    throw e;
  }
}

function loadAs(format: Format, text: string, model: ModelName | undefined): LoadedHistory {
  if (format === 'lockstorm') {
    refuseModelForLockstorm(model);
    const l = lockOperations(parseLockstormHistory(text));
    return { format, modelName: 'lock', model: lockModelFor(l), ops: l.ops };
  }
  let pairs: PairedOp[];
  if (format === 'porcupine-etcd') pairs = readEtcdLog(text);
  else if (format === 'porcupine-kv') pairs = readKvLog(text);
  else pairs = readEdnHistory(text);
  const defaultModel = format === 'porcupine-etcd' ? 'etcd' : format === 'porcupine-kv' ? 'kv' : guessModel(pairs);
  const modelName = model ?? defaultModel;
  if (modelName === 'lock') throw new HistoryError('the lock model reads lockstorm histories only');
  if (!MODEL_NAMES.includes(modelName)) throw new HistoryError(`unknown model ${String(modelName)}`);
  const m = pairedModels[modelName];
  return { format, modelName, model: m.model, ops: m.operations(pairs) };
}
