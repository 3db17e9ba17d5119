// Porcupine's etcd test logs: `INFO jepsen.util - <process> <type> <f> <value>` per line.
// A log without a single client event is an error (pairEvents), never an empty history.

import { EdnSyntaxError, Keyword, parseEdn, type Edn } from './edn.ts';
import { HistoryError } from './history-error.ts';
import { pairEvents, type PairedOp, type RawEvent } from './pairs.ts';

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(\w[\w-]*)\s+(.*?)\s*$/;

export function readEtcdLog(text: string): PairedOp[] {
  const events: RawEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const m = LINE.exec(raw);
    if (!m) throw new HistoryError('expected `INFO jepsen.util - <process> :<type> :<f> <value>`', line);
    let value: Edn;
    try {
      const forms = parseEdn(m[4]!);
      if (forms.length !== 1) throw new HistoryError(`expected one value, got '${m[4]}'`, line);
      value = forms[0]!;
    } catch (e) {
      if (e instanceof EdnSyntaxError) throw new HistoryError(`bad value '${m[4]}': ${e.message}`, line);
      throw e;
    }
    const process = Number(m[1]);
    if (!Number.isSafeInteger(process)) throw new HistoryError(`process ${m[1]} is not an integer a history can have`, line);
    events.push({ process, type: m[2] as RawEvent['type'], f: m[3]!, value, line });
  });
  return pairEvents(events);
}

export function looksLikeEtcdLog(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '');
  return first !== undefined && LINE.test(first);
}

export function isKeyword(v: Edn, name: string): boolean {
  return v instanceof Keyword && v.name === name;
}
