// lockstorm's history.jsonl (docs/history-format.md): one HistoryEvent per line. Reading it
// validates every line against the schema of history/ and the file-level rules here (meta first,
// line endings, nesting and time bounds, end last); the first bad line is reported as
// `file:line: field: problem`. Also turns the paired operations into the lock model's.

import {
  HistoryPairing,
  isClientEvent,
  pairHistory,
  ttlBounds,
  ttlSecondsOf,
  validateEvent,
  EXPIRY_GRANULARITY_NS,
  type HistoryEvent,
  type PairedHistory,
  type ReadValue,
  type TtlBounds,
} from '../../history/index.ts';
import type { Operation } from '../linearizability/types.ts';
import { createLockModel, type LockInput, type LockOutput } from '../models/lock.ts';
import { HistoryError } from './history-error.ts';
import { jsonNestsDeeperThan, MAX_NESTING } from './nesting.ts';
import { readHistoryLines } from './read-file.ts';

export { MAX_TIME_NS, ttlSecondsOf } from '../../history/index.ts';

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
  const reader = new LockstormLines((e) => events.push(e));
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) reader.line(lines[i]!, i === lines.length - 1);
  reader.finish();
  return events;
}

/** Reads and validates a history.jsonl file; every error names the file. */
export function readLockstormFile(path: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  return readFile(path, (e) => events.push(e), () => events);
}

/**
 * Reads, validates and pairs a history.jsonl file (HistoryError naming the file and line, a bad
 * line before a broken pairing rule). Each event is paired as it is read and then let go of: a
 * million operations' events take more memory than their pairing, and nothing needs both. The
 * reader's rules (index = line - 1, time never decreasing) put the file in real-time order, so
 * an event's position is its index.
 */
export function readLockstormPaired(path: string): PairedHistory {
  const pairing = new HistoryPairing();
  return readFile(path, (e) => pairing.add(e, e.index), () => pairing.finish());
}

/** Reads the file line by line (its text is never held whole beside its events), handing each event to `take`; every error names the file. */
function readFile<T>(path: string, take: (e: HistoryEvent) => void, done: () => T): T {
  const reader = new LockstormLines(take);
  try {
    readHistoryLines(path, (line, last) => reader.line(line, last));
    reader.finish();
    return done();
  } catch (e) {
    if (e instanceof HistoryError) throw e.inFile(path);
    throw e;
  }
}

/** Whether two JSON values are equal: the same primitives, arrays and keys (in any order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    keys++;
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (Object.hasOwn(y, k)) keys--;
  return keys === 0;
}

/**
 * The rules of parseLockstormHistory applied one line at a time, in file order, so that a file
 * can be read in chunks: `line` takes each line as `text.split('\n')` gives it, `last` set on
 * the final one, and hands each event to `take`; `finish` applies the rules on the whole file.
 */
class LockstormLines {
  /** The event before, for the time order. */
  private previous: HistoryEvent | undefined;
  private events = 0;
  private clientEvents = false;
  private count = 0;
  private endLine: number | undefined;
  /** A blank line seen, allowed only if every line after it is blank too. */
  private blankLine: number | undefined;
  /** A torn last line was left out. */
  private stopped = false;

  constructor(private readonly take: (e: HistoryEvent) => void) {}

  line(text: string, last: boolean): void {
    if (this.stopped) return;
    const i = this.count++;
    const line = i + 1;
    if (this.blankLine !== undefined) {
      // The newline ending the last line leaves an empty line; blanks before other lines are bad.
      if (isBlank(text)) return;
      throw new HistoryError('blank line inside the history', this.blankLine);
    }
    let raw = text;
    // `\r\n` endings are read as `\n`; any other `\r` (old Mac endings, a rewrite that turned
    // `\n` into `\r`) would hide line breaks from this reader, so it is an error.
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\r')) throw new HistoryError('a carriage return (\\r) inside the line: lines end in \\n or \\r\\n', line);
    if (isBlank(raw)) {
      this.blankLine = line;
      return;
    }
    if (this.endLine !== undefined) throw new HistoryError(`follows the end event of line ${this.endLine}, which must be the last line`, line);
    // Before JSON.parse: the schema's JSON values recurse once per level.
    if (jsonNestsDeeperThan(raw)) throw new HistoryError(`nested deeper than ${MAX_NESTING} arrays/objects`, line);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      // A last line without its newline is a write the recorder did not finish (killed, or
      // still running): the history up to it is intact, so keep that rather than lose it. Such
      // a line is the start of an event, and never the first line: that one is the meta event.
      if (last && i > 0 && raw.startsWith('{')) {
        this.stopped = true;
        return;
      }
      const first = i === 0 ? ': a lockstorm history starts with its meta event' : '';
      throw new HistoryError(`not JSON (${(e as Error).message})${first}`, line);
    }
    const r = validateEvent(parsed);
    if (!r.ok) throw new HistoryError(r.problem, line);
    // The schema's copy of the line drops keys it does not know and is otherwise the same value;
    // when nothing was dropped, the line's own object is kept and the copy left to the young
    // generation: it is larger, and a million-operation history holds two million of them.
    const event = sameJson(r.event, parsed) ? (parsed as HistoryEvent) : r.event;
    if (event.index !== i) throw new HistoryError(`index: is ${event.index} but the line is number ${line} (index = line - 1)`, line);
    if (i === 0 && event.type !== 'meta') throw new HistoryError(`type: the first line must be the meta event, not ${event.type}`, line);
    if (i > 0 && event.type === 'meta') throw new HistoryError('type: only the first line may be the meta event', line);
    const before = this.previous;
    if (before !== undefined && event.time < before.time) {
      throw new HistoryError(`time: ${event.time} is earlier than line ${before.index + 1}'s ${before.time} (time never decreases)`, line);
    }
    if (event.type === 'end') this.endLine = line;
    this.previous = event;
    this.events++;
    this.clientEvents ||= isClientEvent(event);
    this.take(event);
  }

  finish(): void {
    if (this.events === 0) throw new HistoryError('empty: a lockstorm history starts with its meta event');
    if (!this.clientEvents) {
      throw new HistoryError(`no client operations: ${this.events} line(s) but no invoke/ok/fail/info event, so nothing to check`);
    }
  }
}

export interface LockOperations {
  ops: Operation<LockInput, LockOutput>[];
  /** Owner names by interned id. */
  owners: string[];
  /** Shortest possible hold in nanoseconds (TTL minus expiry slack); Infinity: never expires. */
  ttl: number;
}

/**
 * The paired history as operations of the lock model. `fail` did not happen and is dropped;
 * `info` and invocations never completed may have taken effect at any time after the call, or
 * never. Each operation's `ref` holds the indexes of its events.
 */
export function lockModelOperations(history: PairedHistory, ttl: TtlBounds): LockOperations {
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
  const ops: Operation<LockInput, LockOutput>[] = [];
  for (const op of history.ops) {
    if (op.outcome === 'fail') continue;
    const ret = op.outcome === 'ok' ? op.completeTime : Infinity;
    const input: LockInput =
      op.f === 'read'
        ? { f: 'read', key: op.key, call: op.invokeTime, ret }
        : { f: op.f, key: op.key, owner: intern(op.owner), call: op.invokeTime, ret };
    const ref = op.completion === null ? [op.invoke] : [op.invoke, op.completion];
    if (op.outcome !== 'ok') {
      // A read of unknown outcome constrains nothing.
      if (op.f !== 'read') ops.push({ process: op.process, input, call: op.invokeTime, ref, outcome: 'info' });
      continue;
    }
    // An ok read always carries its value (the schema requires it).
    const output: LockOutput = op.f === 'read' ? readOutput(op.value!, intern) : { f: 'done' };
    ops.push({ process: op.process, input, call: op.invokeTime, ref, outcome: 'ok', return: op.completeTime, output });
  }
  return { ops: withoutUnobservableAcquires(ops), owners, ttl: ttl.shortestHoldNs };
}

/**
 * lockModelOperations straight from events: pairs them (throwing HistoryError naming the line on
 * a broken pairing) and takes the TTL from `ttlSeconds` or the meta line. `expirySlackSeconds`
 * replaces Cassandra's expiry granularity, for tests of the model itself.
 */
export function lockOperations(
  events: readonly HistoryEvent[],
  opts: { ttlSeconds?: number; expirySlackSeconds?: number } = {},
): LockOperations {
  const ttlSeconds = opts.ttlSeconds ?? ttlSecondsOf(events) ?? 0;
  const slack = opts.expirySlackSeconds === undefined ? EXPIRY_GRANULARITY_NS : opts.expirySlackSeconds * 1e9;
  return lockModelOperations(pairHistory(events), ttlBounds(ttlSeconds, slack));
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
