// Protocol failures of an external client (docs/clients.md), as one line each for the report:
// the operations it cost, by kind, with the first of them. They are already in the history as
// `info` completions whose error starts "client protocol:" (harness/client/external/session.ts),
// or `fail` ones starting "client did not start:"; this only counts them.
import { asPaired, type HistoryEvent, type PairedHistory } from '../../history/index.ts';

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

/** A completion (fail or info) that failed for the client's own reasons. */
interface ClientFailure {
  index: number;
  process: number;
  error: string;
}

/** The completions whose error is the client's own, in history order, from every operation (lock and guarded). */
function clientFailures(history: PairedHistory): ClientFailure[] {
  const out: ClientFailure[] = [];
  for (const ops of [history.ops, history.guarded]) {
    for (const op of ops) {
      const error = op.error;
      if (op.completion === null || error === undefined || (!error.startsWith(PROTOCOL) && !error.startsWith(NOT_STARTED))) continue;
      out.push({ index: op.completion, process: op.process, error });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * One line per kind, e.g. `not a valid reply: 3 operations (first: event 41, process 2: client
 * protocol: not a valid reply: not JSON: "{")`. `history`: the events, or the history already paired.
 */
export function clientErrors(history: readonly HistoryEvent[] | PairedHistory): string[] {
  const byKind = new Map<string, { count: number; first: number; process: number; error: string }>();
  for (const e of clientFailures(asPaired(history))) {
    const kind = kindOf(e.error);
    const seen = byKind.get(kind);
    if (seen) seen.count++;
    else byKind.set(kind, { count: 1, first: e.index, process: e.process, error: e.error });
  }
  return [...byKind].map(
    ([kind, k]) => `${kind}: ${k.count} operation${k.count === 1 ? '' : 's'} (first: event ${k.first}, process ${k.process}: ${k.error.replace(/; the client was killed$/, '')})`,
  );
}
