// Jepsen history.edn: one vector `[{...} {...}]` or one list `({...} {...})` of op maps (as
// Knossos reads them), or one op map per line. Ops of non-client processes (e.g. :nemesis) are
// skipped: they are not operations on the object under test.

import { EdnMap, EdnSyntaxError, Keyword, readForm, scanForms, type Edn } from './edn.ts';
import { HistoryError } from './history-error.ts';
import { pairEvents, type PairedOp, type RawEvent } from './pairs.ts';

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

export function readEdnEvents(text: string): RawEvent[] {
  let records;
  try {
    records = readRecords(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new HistoryError(`EDN syntax: ${e.message}`, e.line);
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

/** The records of a history with the line each starts on: the items of a lone top-level vector or list, else every top-level form. */
function readRecords(text: string): { value: Edn; line: number }[] {
  const forms = scanForms(text);
  const lone = forms.length === 1 ? forms[0]! : undefined;
  const spans = lone?.open === '[' || lone?.open === '(' ? lone.items! : forms;
  return spans.map((s) => ({ value: readForm(text.slice(s.start, s.end), s.line), line: s.line }));
}

export function readEdnHistory(text: string): PairedOp[] {
  return pairEvents(readEdnEvents(text));
}
