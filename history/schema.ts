// The history is the contract between the harness (which records it) and the checkers (which
// judge it). Every line of history.jsonl is one HistoryEvent (docs/history-format.md). This
// schema is its only definition: the TypeScript types below are inferred from it, and the
// reader validates every line against it.

import { z } from 'zod';

/**
 * Latest `time` a history may have: 30 days in nanoseconds. Well under 2^53 (about 104 days), so
 * every such time is an exact integer in a double, and far beyond any cell (minutes to hours);
 * a larger value is not a time the recorder can have written.
 */
export const MAX_TIME_NS = 30 * 24 * 3600 * 1e9;

export const END_STATUSES = ['complete', 'interrupted', 'failed'] as const;

const json = z.json();
export type JsonValue = z.infer<typeof json>;

const stamp = {
  /** Position in the file, from 0; equal to the line number minus one. */
  index: z.number().int().nonnegative(),
  /** Monotonic nanoseconds since the run started. The range first: zod reports the first check that fails, and 1e300 is "whole" but not sane. */
  time: z
    .number()
    .nonnegative('expected nanoseconds since the history started, not a negative number')
    .max(MAX_TIME_NS, `expected at most ${MAX_TIME_NS} (30 days in nanoseconds)`)
    .int('expected whole nanoseconds'),
};

const client = {
  ...stamp,
  /** Logical process (Jepsen sense): retired after an `info`, replaced by a fresh id. */
  process: z.number().int(),
  /** The node (proxy) this process is pinned to, e.g. "n1". */
  node: z.string().optional(),
  /**
   * Consistency levels: on an invocation, the level the request was sent with ("QUORUM");
   * on a completion, the levels its statements were sent at, in order, e.g. "ONE, QUORUM" or
   * "SERIAL/QUORUM" for an LWT.
   */
  cl: z.string().optional(),
};

// Keys and owners are compared as strings: U+FFFD in one is the mark of a byte that was not
// UTF-8 and was replaced on the way in, so two tokens differing there would read as one.
const token = z.string().refine((s) => !s.includes('\uFFFD'), 'contains U+FFFD (a byte that was not UTF-8): tokens differing there would merge');

/**
 * What a read observed. `owner` is null when the key reads free; recipes without an owner
 * column report `held` with owner undefined. `row` is the raw row (null when absent), kept so
 * that torn rows can be judged against the recipe's own columns.
 */
const readValue = z.object({
  state: z.enum(['free', 'held']),
  owner: token.nullable().optional(),
  row: z.record(z.string(), json).nullable(),
});
export type ReadValue = z.infer<typeof readValue>;

/** What a lock client asks for. `owner` is the token the client writes; fresh per acquire attempt. */
const acquire = { f: z.literal('acquire'), key: token, owner: token };
const release = { f: z.literal('release'), key: token, owner: token };
const read = { f: z.literal('read'), key: token };
const lockOp = z.discriminatedUnion('f', [z.object(acquire), z.object(release), z.object(read)]);
export type LockOp = z.infer<typeof lockOp>;

/**
 * The guarded resource: what a holder does with the record its lock guards (docs/history-format.md,
 * "Guarded operations"). `owner` is the acquire it does it under. A guarded-read reads the
 * record's counter; a guarded-write writes `counter` (what it read, plus one). `token` is the
 * fencing token the holder presents; absent when the cell runs without fencing.
 */
const fenceToken = z.number().int().nonnegative();
const guardedRead = { f: z.literal('guarded-read'), key: token, owner: token.optional() };
const guardedWrite = { f: z.literal('guarded-write'), key: token, owner: token.optional(), counter: z.number().int().nonnegative(), token: fenceToken.optional() };
/** The guarded record as read: its counter and the fencing token it last accepted (null when absent). */
const guardedValue = z.object({ counter: z.number().int().nullable(), fence: fenceToken.nullable() });
export type GuardedValue = z.infer<typeof guardedValue>;
/** No `owner` on what no holder sends: the record's creation (fencing on) and the final reads. */
export type GuardedOp = { f: 'guarded-read'; key: string; owner?: string } | { f: 'guarded-write'; key: string; owner?: string; counter: number; token?: number };

const invoke = { ...client, type: z.literal('invoke'), /** Final reads after healing, at the strongest level; not part of the workload mix. */ final: z.boolean().optional() };
const invokeEvent = z.discriminatedUnion('f', [
  z.object({ ...invoke, ...acquire }),
  z.object({ ...invoke, ...release }),
  z.object({ ...invoke, ...read }),
  z.object({ ...invoke, ...guardedRead }),
  z.object({ ...invoke, ...guardedWrite }),
]);

/**
 * One statement an operation sent, as the executor sent it: what the torn-row checker reads each
 * write's cells from. `timestamp` is the write timestamp the statement carried, in microseconds
 * (null when the coordinator or Paxos chose it, so the client never knew it); `ttl` the seconds
 * its USING TTL bound (null without one). `outcome`: applied (a read that answered, a write or LWT
 * that took effect), not-applied (an LWT whose condition failed), or error (`error` says which;
 * a write that errored may still have landed).
 */
const statement = z.object({
  kind: z.enum(['read', 'write', 'cas']),
  cql: z.string(),
  params: z.array(json),
  cl: z.string(),
  serialCl: z.string().optional(),
  timestamp: z.number().int().nullable(),
  ttl: z.number().int().nonnegative().nullable(),
  outcome: z.enum(['applied', 'not-applied', 'error']),
  error: z.string().optional(),
});
export type StatementRecord = z.infer<typeof statement>;

/** On every completion: the statements the operation sent, in order; absent in histories recorded before they were kept. */
const statements = { statements: z.array(statement).optional() };

/** The operation definitely took effect. For a read, `value` is what it saw. */
const ok = { ...client, ...statements, type: z.literal('ok') };
const okEvent = z.discriminatedUnion('f', [
  z.object({ ...ok, ...acquire }),
  z.object({ ...ok, ...release }),
  z.object({ ...ok, ...read, value: readValue }),
  /** `token`: the fencing token the holder claimed the record with before reading it (fencing on). */
  z.object({ ...ok, ...guardedRead, value: guardedValue, token: fenceToken.optional() }),
  z.object({ ...ok, ...guardedWrite }),
]);

/** The operation definitely did not take effect (e.g. an LWT that was not applied, whose `value` is what it saw). */
const fail = { ...client, ...statements, type: z.literal('fail'), error: z.string().optional(), value: readValue.optional() };
const failEvent = z.discriminatedUnion('f', [
  z.object({ ...fail, ...acquire }),
  z.object({ ...fail, ...release }),
  z.object({ ...fail, ...read }),
  z.object({ ...fail, ...guardedRead }),
  /** A fenced write the record refused (a newer token had claimed it). */
  z.object({ ...fail, ...guardedWrite }),
]);

/** The outcome is unknown: it may have taken effect, at any time after the invocation, or never. */
const info = { ...client, ...statements, type: z.literal('info'), error: z.string() };
const infoEvent = z.discriminatedUnion('f', [
  z.object({ ...info, ...acquire }),
  z.object({ ...info, ...release }),
  z.object({ ...info, ...read }),
  z.object({ ...info, ...guardedRead }),
  z.object({ ...info, ...guardedWrite }),
]);

/** A fault window's edge, with what it targeted. */
const nemesisEvent = z.object({
  ...stamp,
  type: z.literal('nemesis'),
  phase: z.enum(['start', 'stop']),
  fault: z.string(),
  targets: z.array(z.string()),
  detail: z.record(z.string(), json).optional(),
});

/**
 * Replica forensics, taken after the workload and before the final reads (which repair): one
 * replica read on its own — `node` cut off from its peers, `key` read at `cl` (ONE) through that
 * node's proxy. Exactly one of: `value`, what that replica holds; `error`, why the read got no
 * answer; `not_taken`, why no replica was read for `key` at all (then `node` is absent).
 * Not a client operation: checkers of operations never see it.
 */
const forensicEvent = z
  .object({
    ...stamp,
    type: z.literal('forensic'),
    key: token,
    node: z.string().optional(),
    cl: z.string().optional(),
    value: readValue.optional(),
    error: z.string().optional(),
    not_taken: z.string().optional(),
  })
  .refine((e) => [e.value, e.error, e.not_taken].filter((x) => x !== undefined).length === 1, 'expected exactly one of value, error, not_taken')
  .refine((e) => (e.not_taken === undefined) === (e.node !== undefined), { message: 'expected a node on a replica read, none when not_taken', path: ['node'] });

/** First line of every history: what produced it, so a file can be checked on its own. */
const metaEvent = z.object({ ...stamp, type: z.literal('meta'), recipe: z.string(), params: z.record(z.string(), json) });

/**
 * Last line of a history whose recorder finished: says whether the cell ran its whole course.
 * A history without it was cut short (lockstorm killed, or still running), and so is evidence
 * of what it shows but never of safety. `reason`: why the cell did not complete, when it did not.
 */
const endEvent = z.object({ ...stamp, type: z.literal('end'), status: z.enum(END_STATUSES), reason: z.string().optional() });

/** One schema per event type; each client type is a union over the operation (`f`). */
export const eventSchemas = {
  meta: metaEvent,
  nemesis: nemesisEvent,
  invoke: invokeEvent,
  end: endEvent,
  forensic: forensicEvent,
  ok: okEvent,
  fail: failEvent,
  info: infoEvent,
} as const;

export type InvokeEvent = z.infer<typeof invokeEvent>;
export type OkEvent = z.infer<typeof okEvent>;
export type FailEvent = z.infer<typeof failEvent>;
export type InfoEvent = z.infer<typeof infoEvent>;
export type NemesisEvent = z.infer<typeof nemesisEvent>;
export type MetaEvent = z.infer<typeof metaEvent>;
export type EndEvent = z.infer<typeof endEvent>;
export type ForensicEvent = z.infer<typeof forensicEvent>;
export type EndStatus = (typeof END_STATUSES)[number];

export type CompletionEvent = OkEvent | FailEvent | InfoEvent;
export type ClientEvent = InvokeEvent | CompletionEvent;
/** The events around the operations: what produced the history, its faults, replica forensics and how it ended. */
export type FrameEvent = MetaEvent | NemesisEvent | EndEvent | ForensicEvent;
export type HistoryEvent = MetaEvent | ClientEvent | NemesisEvent | EndEvent | ForensicEvent;

export function isClientEvent(e: HistoryEvent): e is ClientEvent {
  return e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'info';
}

/** One parsed JSON value checked against the schema; the problem reads `field: what is wrong`. */
export function validateEvent(parsed: unknown): { ok: true; event: HistoryEvent } | { ok: false; problem: string } {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'event: expected a JSON object' };
  const type = (parsed as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(eventSchemas, type)) {
    return { ok: false, problem: `type: expected one of ${Object.keys(eventSchemas).join(', ')}` };
  }
  const r = (eventSchemas[type as HistoryEvent['type']] as z.ZodType<HistoryEvent>).safeParse(parsed);
  return r.success ? { ok: true, event: r.data } : { ok: false, problem: describeIssue(r.error.issues[0]!) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : 'event';
  return `${path}: ${issue.message}`;
}
