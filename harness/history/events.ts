// The history is the contract between the harness (which records it) and the checkers (which
// judge it). Every line of history.jsonl is one HistoryEvent; see docs/history-format.md.

/** What a lock client asks for. `owner` is the token the client writes; fresh per acquire attempt. */
export type LockOp =
  | { f: 'acquire'; key: string; owner: string }
  | { f: 'release'; key: string; owner: string }
  | { f: 'read'; key: string };

/**
 * What a read observed. `owner` is null when the key reads free; recipes without an owner
 * column report `held` with owner undefined. `row` is the raw row (null when absent), kept so
 * that torn rows can be judged against the recipe's own columns.
 */
export interface ReadValue {
  state: 'free' | 'held';
  owner?: string | null;
  row: Record<string, JsonValue> | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

interface Stamp {
  /** Position in the file, from 0; equal to the line number minus one. */
  index: number;
  /** Monotonic nanoseconds since the run started. */
  time: number;
}

interface ClientStamp extends Stamp {
  /** Logical process (Jepsen sense): retired after an `info`, replaced by a fresh id. */
  process: number;
  /** The node (proxy) this process is pinned to, e.g. "n1". */
  node?: string;
}

export type InvokeEvent = ClientStamp & LockOp & {
  type: 'invoke';
  /** Final reads after healing, at the strongest level; not part of the workload mix. */
  final?: boolean;
  /** Consistency the request was sent with, e.g. "QUORUM" or "SERIAL". */
  cl?: string;
};

/** The operation definitely took effect. For a read, `value` is what it saw. */
export type OkEvent = ClientStamp &
  (
    | { f: 'acquire' | 'release'; key: string; owner: string }
    | { f: 'read'; key: string; value: ReadValue }
  ) & { type: 'ok' };

/** The operation definitely did not take effect (e.g. an LWT that was not applied). */
export type FailEvent = ClientStamp &
  LockOp & { type: 'fail'; error?: string; /** what an unapplied LWT saw */ value?: ReadValue };

/** The outcome is unknown: it may have taken effect, at any time after the invocation, or never. */
export type InfoEvent = ClientStamp & LockOp & { type: 'info'; error: string };

/** A fault window's edge, with what it targeted. */
export interface NemesisEvent extends Stamp {
  type: 'nemesis';
  phase: 'start' | 'stop';
  fault: string;
  targets: string[];
  detail?: Record<string, JsonValue>;
}

/** First line of every history: what produced it, so a file can be checked on its own. */
export interface MetaEvent extends Stamp {
  type: 'meta';
  recipe: string;
  params: Record<string, JsonValue>;
}

/**
 * Last line of a history whose recorder finished: says whether the cell ran its whole course.
 * A history without it was cut short (lockstorm killed, or still running), and so is evidence
 * of what it shows but never of safety.
 */
export interface EndEvent extends Stamp {
  type: 'end';
  status: EndStatus;
  /** Why the cell did not complete, when it did not. */
  reason?: string;
}
export const END_STATUSES = ['complete', 'interrupted', 'failed'] as const;
export type EndStatus = (typeof END_STATUSES)[number];

export type CompletionEvent = OkEvent | FailEvent | InfoEvent;
export type ClientEvent = InvokeEvent | CompletionEvent;
export type HistoryEvent = MetaEvent | ClientEvent | NemesisEvent | EndEvent;

export function isClientEvent(e: HistoryEvent): e is ClientEvent {
  return e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'info';
}
