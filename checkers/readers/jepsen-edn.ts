// Jepsen history.edn: a vector of op maps, or one map per line. Ops of non-client processes
// (e.g. :nemesis) are skipped: they are not operations on the object under test.

import { EdnMap, EdnSyntaxError, Keyword, readRecords, type Edn } from './edn.ts';
import { HistoryError } from './history-error.ts';
import { pairEvents, type PairedOp, type RawEvent } from './pairs.ts';

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

export function readEdnEvents(text: string): RawEvent[] {
  let records;
  try {
    records = readRecords(text);
  } catch (e) {
    // readRecords reports the line in `offset`.
    if (e instanceof EdnSyntaxError) throw new HistoryError(`EDN syntax: ${e.message}`, e.offset);
    throw e;
  }
  const events: RawEvent[] = [];
  let lastIndex = -Infinity;
  for (const { value, line } of records) {
    if (!(value instanceof EdnMap)) throw new HistoryError('expected an op map {:type ... :process ... :f ...}', line);
    // The file order is taken as the real-time order, as Jepsen writes it (by :index).
    const index = value.kw('index');
    if (typeof index === 'number') {
      if (index <= lastIndex) throw new HistoryError(`:index ${index} does not follow ${lastIndex}: the history must be in :index order`, line);
      lastIndex = index;
    }
    const process = value.kw('process');
    if (process instanceof Keyword) continue;
    if (typeof process !== 'number' || !Number.isInteger(process)) {
      throw new HistoryError(':process must be an integer or a keyword', line);
    }
    const type = value.kw('type');
    if (!(type instanceof Keyword) || !TYPES.has(type.name)) {
      throw new HistoryError(':type must be one of :invoke :ok :fail :info', line);
    }
    const f = value.kw('f');
    if (!(f instanceof Keyword) && typeof f !== 'string') throw new HistoryError(':f must be a keyword', line);
    const extra: Record<string, Edn> = {};
    for (const [k, v] of value.entries.values()) if (k instanceof Keyword) extra[k.name] = v;
    events.push({
      process,
      type: type.name as RawEvent['type'],
      f: f instanceof Keyword ? f.name : f,
      value: value.kw('value') ?? null,
      extra,
      line,
    });
  }
  return events;
}

export function readEdnHistory(text: string): PairedOp[] {
  return pairEvents(readEdnEvents(text));
}
