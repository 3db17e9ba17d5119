// Every driver error becomes `fail` (the statement definitely had no effect) or `info` (it may
// have taken effect, now or later). Calling something `fail` that might have happened makes the
// checkers report anomalies that are not there, so anything uncertain is `info`.
// The reasoning for each row is in docs/error-mapping.md; keep the two in step.

import cassandra from 'cassandra-driver';

const { errors, types } = cassandra;
const codes = types.responseErrorCodes;

/** What kind of statement raised the error. */
export type StatementKind = 'read' | 'write' | 'cas';

export interface ErrorOutcome {
  type: 'fail' | 'info';
  /** One line naming the error, for the history. */
  error: string;
}

const codeNames = new Map<number, string>(Object.entries(codes).map(([name, code]) => [code as number, name]));
const SERIAL_LEVELS = new Set<number>([types.consistencies.serial, types.consistencies.localSerial]);

/** Server errors raised before the coordinator did anything for any kind of statement. */
const DEFINITE_CODES = new Set<number>([
  codes.overloaded,
  codes.isBootstrapping,
  codes.syntaxError,
  codes.unauthorized,
  codes.invalid,
  codes.configError,
  codes.alreadyExists,
  codes.unprepared,
  codes.badCredentials,
  codes.protocolError,
]);

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown: ${String(err)}`.slice(0, 300);
  let kind = err.name || 'Error';
  if (err instanceof errors.ResponseError) kind = `ResponseError(${codeNames.get(err.code) ?? `0x${err.code.toString(16)}`})`;
  if (err instanceof errors.NoHostAvailableError) {
    const inner = Object.values(err.innerErrors ?? {}).map((e) => describeError(e));
    return `NoHostAvailableError: ${inner.join('; ') || err.message}`.slice(0, 300);
  }
  return `${kind}: ${err.message}`.replace(/\s+/g, ' ').slice(0, 300);
}

function definite(err: unknown, kind: StatementKind): boolean {
  // A read changes nothing, whatever went wrong.
  if (kind === 'read') return true;
  // The driver found no connection to send on (its inner errors are all pre-send: with retries
  // off it only moves past a host whose request was never written).
  if (err instanceof errors.NoHostAvailableError) return true;
  if (err instanceof errors.BusyConnectionError) return true;
  // Raised while encoding, before anything reached the wire.
  if (err instanceof errors.ArgumentError || err instanceof errors.NotSupportedError || err instanceof TypeError) return true;
  if (err instanceof Error && (err as { isSocketError?: boolean }).isSocketError) {
    return (err as { requestNotWritten?: boolean }).requestNotWritten === true;
  }
  if (err instanceof errors.ResponseError) {
    if (DEFINITE_CODES.has(err.code)) return true;
    if (err.code === codes.unavailableException) {
      // A plain write is refused before any replica is contacted. An LWT's Paxos phases are
      // refused at the serial level; at any other level the refusal came from the commit phase,
      // after a quorum accepted the proposal, which a later round will finish.
      if (kind === 'write') return true;
      const cl = (err as { consistencies?: number }).consistencies;
      return cl !== undefined && SERIAL_LEVELS.has(cl);
    }
  }
  // Timeouts (client or server), write failures, server errors, socket closed after the request
  // was written, anything unknown: the statement may have been applied.
  return false;
}

export function classifyError(err: unknown, kind: StatementKind): ErrorOutcome {
  return { type: definite(err, kind) ? 'fail' : 'info', error: describeError(err) };
}
