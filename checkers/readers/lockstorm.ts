// lockstorm's history.jsonl (docs/history-format.md): one HistoryEvent per line. Reading it
// validates every line; the first bad one is reported as `file:line: field: problem`.
// Also turns the client events into operations for the lock model.

import { z } from 'zod';
import {
  END_STATUSES,
  isClientEvent,
  type ClientEvent,
  type HistoryEvent,
  type InvokeEvent,
  type JsonValue,
  type MetaEvent,
  type ReadValue,
} from '../../harness/history/events.ts';
import type { Operation } from '../linearizability/types.ts';
import { createLockModel, type LockInput, type LockOutput } from '../models/lock.ts';
import { HistoryError } from './history-error.ts';
import { jsonNestsDeeperThan, MAX_NESTING } from './nesting.ts';
import { readHistoryFile } from './read-file.ts';

/**
 * Latest `time` a history may have: 30 days in nanoseconds. Well under 2^53 (about 104 days), so
 * every such time is an exact integer in a double, and far beyond any cell (minutes to hours);
 * a larger value is not a time the recorder can have written.
 */
export const MAX_TIME_NS = 30 * 24 * 3600 * 1e9;

const json: z.ZodType<JsonValue> = z.json();
const stamp = {
  index: z.number().int().nonnegative(),
  // The range first: zod reports the first check that fails, and 1e300 is "whole" but not sane.
  time: z
    .number()
    .nonnegative('expected nanoseconds since the history started, not a negative number')
    .max(MAX_TIME_NS, `expected at most ${MAX_TIME_NS} (30 days in nanoseconds)`)
    .int('expected whole nanoseconds'),
};
const client = { ...stamp, process: z.number().int(), node: z.string().optional() };
// Keys and owners are compared as strings: U+FFFD in one is the mark of a byte that was not
// UTF-8 and was replaced on the way in, so two tokens differing there would read as one.
const token = z.string().refine((s) => !s.includes('\uFFFD'), 'contains U+FFFD (a byte that was not UTF-8): tokens differing there would merge');
const readValue = z.object({
  state: z.enum(['free', 'held']),
  owner: token.nullable().optional(),
  row: z.record(z.string(), json).nullable(),
});
const opShapes = {
  acquire: { f: z.literal('acquire'), key: token, owner: token },
  release: { f: z.literal('release'), key: token, owner: token },
  read: { f: z.literal('read'), key: token },
};

/** One schema per client event type, each a union over the operation (`f`). */
function clientSchema<T extends z.core.$ZodLooseShape>(fields: T, readExtra: z.core.$ZodLooseShape = {}) {
  return z.discriminatedUnion('f', [
    z.object({ ...client, ...fields, ...opShapes.acquire }),
    z.object({ ...client, ...fields, ...opShapes.release }),
    z.object({ ...client, ...fields, ...opShapes.read, ...readExtra }),
  ]);
}

const schemas: Record<HistoryEvent['type'], z.ZodType> = {
  meta: z.object({ ...stamp, type: z.literal('meta'), recipe: z.string(), params: z.record(z.string(), json) }),
  nemesis: z.object({
    ...stamp,
    type: z.literal('nemesis'),
    phase: z.enum(['start', 'stop']),
    fault: z.string(),
    targets: z.array(z.string()),
    detail: z.record(z.string(), json).optional(),
  }),
  invoke: clientSchema({ type: z.literal('invoke'), final: z.boolean().optional(), cl: z.string().optional() }),
  end: z.object({ ...stamp, type: z.literal('end'), status: z.enum(END_STATUSES), reason: z.string().optional() }),
  ok: clientSchema({ type: z.literal('ok') }, { value: readValue }),
  fail: clientSchema({ type: z.literal('fail'), error: z.string().optional(), value: readValue.optional() }),
  info: clientSchema({ type: z.literal('info'), error: z.string() }),
};

function validate(parsed: unknown): { ok: true; event: HistoryEvent } | { ok: false; problem: string } {
  const type = (parsed as { type?: unknown } | null)?.type;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'event: expected a JSON object' };
  if (typeof type !== 'string' || !(type in schemas)) {
    return { ok: false, problem: `type: expected one of ${Object.keys(schemas).join(', ')}` };
  }
  const r = schemas[type as HistoryEvent['type']].safeParse(parsed);
  return r.success ? { ok: true, event: r.data as HistoryEvent } : { ok: false, problem: describeIssue(r.error.issues[0]!) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : 'event';
  return `${path}: ${issue.message}`;
}

/** Only spaces or tabs, before the line ending. */
const isBlank = (raw: string): boolean => /^[ \t]*\r?$/.test(raw);

/**
 * Parses and validates history.jsonl text; throws HistoryError naming the line. The text is a
 * history only if its first line is the meta event and it records at least one client event:
 * anything else (empty text, text without a newline, another format) is an error, never a
 * history of nothing.
 */
export function parseLockstormHistory(text: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  let endLine: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    const line = i + 1;
    // `\r\n` endings are read as `\n`; any other `\r` (old Mac endings, a rewrite that turned
    // `\n` into `\r`) would hide line breaks from this reader, so it is an error.
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\r')) throw new HistoryError('a carriage return (\\r) inside the line: lines end in \\n or \\r\\n', line);
    if (isBlank(raw)) {
      // The newline ending the last line leaves an empty string here; blanks elsewhere are bad.
      if (lines.slice(i + 1).every(isBlank)) break;
      throw new HistoryError('blank line inside the history', line);
    }
    if (endLine !== undefined) throw new HistoryError(`follows the end event of line ${endLine}, which must be the last line`, line);
    // Before JSON.parse: the schema's JSON values recurse once per level.
    if (jsonNestsDeeperThan(raw)) throw new HistoryError(`nested deeper than ${MAX_NESTING} arrays/objects`, line);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      // A last line without its newline is a write the recorder did not finish (killed, or
      // still running): the history up to it is intact, so keep that rather than lose it. Such
      // a line is the start of an event, and never the first line: that one is the meta event.
      if (i === lines.length - 1 && i > 0 && raw.startsWith('{')) break;
      const first = i === 0 ? ': a lockstorm history starts with its meta event' : '';
      throw new HistoryError(`not JSON (${(e as Error).message})${first}`, line);
    }
    const r = validate(parsed);
    if (!r.ok) throw new HistoryError(r.problem, line);
    const event = r.event;
    if (event.index !== i) throw new HistoryError(`index: is ${event.index} but the line is number ${line} (index = line - 1)`, line);
    if (i === 0 && event.type !== 'meta') throw new HistoryError(`type: the first line must be the meta event, not ${event.type}`, line);
    if (i > 0 && event.type === 'meta') throw new HistoryError('type: only the first line may be the meta event', line);
    const before = events[events.length - 1];
    if (before !== undefined && event.time < before.time) {
      throw new HistoryError(`time: ${event.time} is earlier than line ${before.index + 1}'s ${before.time} (time never decreases)`, line);
    }
    if (event.type === 'end') endLine = line;
    events.push(event);
  }
  if (events.length === 0) throw new HistoryError('empty: a lockstorm history starts with its meta event');
  if (!events.some(isClientEvent)) {
    throw new HistoryError(`no client operations: ${events.length} line(s) but no invoke/ok/fail/info event, so nothing to check`);
  }
  return events;
}

/** Reads and validates a history.jsonl file; every error names the file. */
export function readLockstormFile(path: string): HistoryEvent[] {
  const text = readHistoryFile(path);
  try {
    return parseLockstormHistory(text);
  } catch (e) {
    if (e instanceof HistoryError) throw e.inFile(path);
    throw e;
  }
}

/** The lock TTL recorded in the meta event (params.ttlSeconds), if any. */
export function ttlSecondsOf(events: readonly HistoryEvent[]): number | undefined {
  const meta = events.find((e): e is MetaEvent => e.type === 'meta');
  const ttl = meta?.params['ttlSeconds'];
  return typeof ttl === 'number' && ttl > 0 ? ttl : undefined;
}

export const CASSANDRA_EXPIRY_GRANULARITY_SECONDS = 1;

export interface LockOperations {
  ops: Operation<LockInput, LockOutput>[];
  /** Owner names by interned id. */
  owners: string[];
  /** Shortest possible hold in nanoseconds (TTL minus expiry slack); Infinity: never expires. */
  ttl: number;
}

/**
 * Pairs invocations with completions per process. `fail` did not happen and is dropped; `info`
 * and invocations never completed may have taken effect at any time after the call, or never.
 * Each operation's `ref` holds the indexes of its events.
 */
export function lockOperations(
  events: readonly HistoryEvent[],
  opts: { ttlSeconds?: number; expirySlackSeconds?: number } = {},
): LockOperations {
  const ttlSeconds = opts.ttlSeconds ?? ttlSecondsOf(events);
  // Cassandra stores expiry in whole seconds (floor(now) + ttl): a lock may lapse up to one
  // second early. The model must not call that illegal.
  const slack = opts.expirySlackSeconds ?? CASSANDRA_EXPIRY_GRANULARITY_SECONDS;
  const ttl = ttlSeconds === undefined || !(ttlSeconds > 0) ? Infinity : Math.max(0, ttlSeconds - slack) * 1e9;
  const owners: string[] = [];
  const ownerIds = new Map<string, number>();
  const intern = (o: string): number => {
    let id = ownerIds.get(o);
    if (id === undefined) {
      id = owners.length;
      owners.push(o);
      ownerIds.set(o, id);
    }
    return id;
  };
  const pending = new Map<number, InvokeEvent>();
  const ops: Operation<LockInput, LockOutput>[] = [];
  const add = (inv: InvokeEvent, done: ClientEvent | null): void => {
    if (done?.type === 'fail') return;
    const ret = done && done.type === 'ok' ? done.time : Infinity;
    const input: LockInput =
      inv.f === 'read'
        ? { f: 'read', key: inv.key, call: inv.time, ret }
        : { f: inv.f, key: inv.key, owner: intern(inv.owner), call: inv.time, ret };
    const ref = done ? [inv.index, done.index] : [inv.index];
    if (done === null || done.type !== 'ok') {
      // A read of unknown outcome constrains nothing.
      if (inv.f !== 'read') ops.push({ process: inv.process, input, call: inv.time, ref, outcome: 'info' });
      return;
    }
    let output: LockOutput = { f: 'done' };
    if (done.f === 'read') output = readOutput(done.value, intern);
    ops.push({ process: inv.process, input, call: inv.time, ref, outcome: 'ok', return: done.time, output });
  };
  for (const e of events) {
    if (e.type === 'meta' || e.type === 'nemesis' || e.type === 'end') continue;
    const line = e.index + 1;
    if (e.type === 'invoke') {
      if (pending.has(e.process)) throw new HistoryError(`process ${e.process} invokes while its previous operation is pending`, line);
      pending.set(e.process, e);
      continue;
    }
    const inv = pending.get(e.process);
    if (!inv) throw new HistoryError(`process ${e.process} completes ${e.f} without a pending invocation`, line);
    if (inv.f !== e.f || inv.key !== e.key) {
      throw new HistoryError(`process ${e.process} completes ${e.f} ${e.key} but invoked ${inv.f} ${inv.key}`, line);
    }
    if (e.time < inv.time) throw new HistoryError(`time: completion at ${e.time} precedes its invocation at ${inv.time}`, line);
    pending.delete(e.process);
    add(inv, e);
  }
  for (const inv of pending.values()) add(inv, null);
  return { ops: withoutUnobservableAcquires(ops), owners, ttl };
}

/**
 * An info acquire matters only if something can observe its hold: a read that saw its owner, an
 * owner-less "held" read of its key, or another operation by the same owner. Otherwise every
 * order that places it must discard its hold unobserved, and leaving it out does as well with
 * fewer constraints, so it is dropped before the search (which would otherwise try it at every
 * point where the lock is free).
 */
export function withoutUnobservableAcquires(ops: Operation<LockInput, LockOutput>[]): Operation<LockInput, LockOutput>[] {
  const observed = new Set<number>();
  const anonymousReads = new Set<string>();
  const byOwner = new Map<number, number>();
  for (const op of ops) {
    if (op.input.f !== 'read') byOwner.set(op.input.owner, (byOwner.get(op.input.owner) ?? 0) + 1);
    if (op.outcome !== 'ok' || op.output.f !== 'read' || !op.output.held) continue;
    if (op.output.owner === null) anonymousReads.add(op.input.key);
    else observed.add(op.output.owner);
  }
  return ops.filter(
    (op) =>
      op.outcome === 'ok' ||
      op.input.f !== 'acquire' ||
      observed.has(op.input.owner) ||
      anonymousReads.has(op.input.key) ||
      byOwner.get(op.input.owner)! > 1,
  );
}

function readOutput(v: ReadValue, intern: (o: string) => number): LockOutput {
  if (v.state === 'free') return { f: 'read', held: false };
  return { f: 'read', held: true, owner: typeof v.owner === 'string' ? intern(v.owner) : null };
}

/** The lock model for operations produced by lockOperations. */
export function lockModelFor(l: LockOperations) {
  return createLockModel({ ttl: l.ttl, owners: l.owners });
}
