// Protocol failures of an external client (docs/clients.md), as one line each for the report:
// the operations it cost, by kind, with the first of them. They are already in the history as
// `info` completions whose error starts "client protocol:" (harness/client/external/session.ts),
// or `fail` ones starting "client did not start:"; this only counts them.
import type { HistoryEvent } from '../../history/index.ts';

const PROTOCOL = 'client protocol: ';
const NOT_STARTED = 'client did not start: ';

/** The kind of a protocol failure: its reason without the particulars (ids, quoted lines). */
function kindOf(error: string): string {
  const reason = error.startsWith(PROTOCOL) ? error.slice(PROTOCOL.length) : error;
  if (reason.startsWith('not a valid reply')) return 'not a valid reply';
  if (/^reply id \d+ does not answer/.test(reason)) return 'a reply to another request';
  if (reason.startsWith('no reply within')) return reason.replace(/;.*$/, '');
  if (reason.startsWith('the client exited') || reason.startsWith('the client was ended')) return 'the client exited before replying';
  if (error.startsWith(NOT_STARTED)) return 'a replacement client did not start';
  return reason.replace(/;.*$/, '');
}

/** One line per kind, e.g. `not a valid reply: 3 operations (first: event 41, process 2: client protocol: not a valid reply: not JSON: "{")`. */
export function clientErrors(events: readonly HistoryEvent[]): string[] {
  const byKind = new Map<string, { count: number; first: number; process: number; error: string }>();
  for (const e of events) {
    if ((e.type !== 'info' && e.type !== 'fail') || typeof e.error !== 'string') continue;
    if (!e.error.startsWith(PROTOCOL) && !e.error.startsWith(NOT_STARTED)) continue;
    const kind = kindOf(e.error);
    const seen = byKind.get(kind);
    if (seen) seen.count++;
    else byKind.set(kind, { count: 1, first: e.index, process: e.process, error: e.error });
  }
  return [...byKind].map(
    ([kind, k]) => `${kind}: ${k.count} operation${k.count === 1 ? '' : 's'} (first: event ${k.first}, process ${k.process}: ${k.error.replace(/; the client was killed$/, '')})`,
  );
}
