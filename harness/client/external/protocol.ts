// The external-client protocol (docs/clients.md): JSON lines between lockstorm and a lock client
// written in any language. This file is its one definition. The messages lockstorm sends are
// typed here; the replies a child sends are checked against the zod schemas below, and anything
// else is a protocol error the session turns into an `info` with the reason.
//
// Names are part of a public interface other people build against: never rename a field here
// without changing docs/clients.md and every client in examples/clients/.

import { z } from 'zod';
import type { TimestampMode } from '../../core/cell.ts';

/** What every setup and init message carries, as the cell resolved it. */
export interface CommonFields {
  process: number;
  /** Exactly the proxy of the node this process is pinned to, as "host:port". */
  contact_points: string[];
  keyspace: string;
  local_dc: string;
  settings: {
    ttl_s: number;
    write_cl: string;
    read_cl: string;
    serial_cl: string;
    op_timeout_ms: number;
    timestamps: string;
  };
}

export type InvokeMessage =
  | { type: 'invoke'; id: number; f: 'acquire'; key: string; owner: string }
  | { type: 'invoke'; id: number; f: 'release'; key: string; owner: string }
  | { type: 'invoke'; id: number; f: 'read'; key: string; cl?: string };

export type ToChild = ({ type: 'setup' } & CommonFields) | ({ type: 'init' } & CommonFields) | InvokeMessage | { type: 'shutdown' };

/** The timestamp mode as the config spells it ("server", "skewed:+5ms", ...). */
export function timestampsText(mode: TimestampMode): string {
  switch (mode.kind) {
    case 'skewed':
      return `skewed:${mode.offsetMs >= 0 ? '+' : ''}${mode.offsetMs}ms`;
    case 'quantized':
      return `quantized:${mode.unitMs}ms`;
    default:
      return mode.kind;
  }
}

// Keys and owners come from lockstorm; an owner a child reports must still be a plain token.
const owner = z.string().nullable();
const json = z.json();

/** One write the child sent: its cells by column, its write timestamp (μs) and TTL where it knows them. */
const write = z.strictObject({
  table: z.string().min(1),
  key: z.string(),
  cells: z.record(z.string(), json),
  timestamp: z.number().int().nullable(),
  ttl: z.number().int().nonnegative().nullable(),
});
export type ReportedWrite = z.infer<typeof write>;

const writes = { writes: z.array(write).optional() };
const id = { id: z.number().int().nonnegative() };

const okReply = z.strictObject({
  type: z.literal('ok'),
  ...id,
  value: z.strictObject({ owner, row: z.record(z.string(), json).nullable() }).optional(),
  ...writes,
});
const failReply = z.strictObject({
  type: z.literal('fail'),
  ...id,
  saw: z.strictObject({ owner }).optional(),
  error: z.string().optional(),
  ...writes,
});
const infoReply = z.strictObject({ type: z.literal('info'), ...id, error: z.string(), ...writes });

export const replySchema = z.discriminatedUnion('type', [okReply, failReply, infoReply]);
export type Reply = z.infer<typeof replySchema>;

export const setupOkSchema = z.strictObject({ type: z.literal('setup_ok') });
export const initOkSchema = z.strictObject({ type: z.literal('init_ok') });

const MAX_QUOTED = 120;

/** The line as it can be quoted in one history line. */
export function quote(line: string): string {
  const flat = JSON.stringify(line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line);
  return flat;
}

/** One parsed line against `schema`: the value, or one line saying what is wrong with it. */
export function parseLine<T>(schema: z.ZodType<T>, line: string): { ok: true; value: T } | { ok: false; problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, problem: `not JSON: ${quote(line)}` };
  }
  const r = schema.safeParse(parsed);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const path = issue.path.length > 0 ? issue.path.join('.') : 'reply';
  return { ok: false, problem: `${path}: ${issue.message} in ${quote(line)}` };
}

/** A reply that fits the request it answers: the same id, and a value on (only) a read's ok. */
export function mismatch(request: InvokeMessage, reply: Reply): string | null {
  if (reply.id !== request.id) return `reply id ${reply.id} does not answer request id ${request.id}`;
  if (reply.type === 'ok' && request.f === 'read' && reply.value === undefined) return `an ok reply to a read needs "value"`;
  if (reply.type === 'ok' && request.f !== 'read' && reply.value !== undefined) return `an ok reply to ${request.f} carries no "value"`;
  return null;
}
