// A lockstorm history's linearizability part as a per-key cas-register history (docs/export.md):
// free is the keyword :free, a holder is its owner string, an acquire is cas [:free owner], a
// release cas [owner :free], a read a read of the value it saw. That image gives the same verdict
// as the lock model only on a fragment of histories; anything outside it is refused with the
// reason, never exported approximately. Pure: events in, register events out.
import { HistoryError, isClientEvent, pairHistory, type ClientEvent, type HistoryEvent } from '../../history/index.ts';
import { ttlSecondsOf } from '../readers/lockstorm.ts';

/** The register value: null stands for the keyword :free, a string for the owner holding it. */
export type RegisterValue = null | string;

export interface RegisterEvent {
  process: number;
  type: 'invoke' | 'ok' | 'fail' | 'info';
  f: 'read' | 'write' | 'cas';
  /** read: what was seen (undefined on invoke and when unknown); write: the value; cas: [from, to]. */
  value?: RegisterValue | [RegisterValue, RegisterValue];
  /** Nanoseconds as recorded (the synthetic first write has 0). */
  time: number;
  key: string;
}

/** Why a history cannot be exported exactly: printed as the one error line. */
export class ExportRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportRefusal';
  }
}

export interface ExportOptions {
  /** The key to export; required when the history has more than one. */
  key?: string;
}

export function keysOf(events: readonly HistoryEvent[]): string[] {
  return [...new Set(events.filter(isClientEvent).map((e) => e.key))];
}

function pickKey(events: readonly HistoryEvent[], want: string | undefined): string {
  const keys = keysOf(events);
  if (want !== undefined) {
    if (!keys.includes(want)) throw new ExportRefusal(`--key ${JSON.stringify(want)}: no operation on that key (keys: ${keys.map((k) => JSON.stringify(k)).join(', ')})`);
    return want;
  }
  if (keys.length > 1) {
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
    throw new ExportRefusal(
      `${keys.length} keys (${shown}${keys.length > 5 ? ', …' : ''}): a register holds one key, so export one at a time with --key (linearizability is per key)`,
    );
  }
  return keys[0]!;
}

interface Pair {
  invoke: ClientEvent & { type: 'invoke' };
  done: ClientEvent | null;
}

/**
 * Invocations with their completions (as history/pair.ts pairs them), in invocation order. A
 * history whose events do not pair is refused, naming the line.
 */
function pairs(events: readonly HistoryEvent[]): Pair[] {
  let ops;
  try {
    ops = pairHistory(events).ops;
  } catch (e) {
    if (e instanceof HistoryError) throw new ExportRefusal(`line ${e.line}: ${e.problem}`);
    throw e;
  }
  const byIndex = new Map(events.map((e) => [e.index, e]));
  return ops.map((op) => ({
    invoke: byIndex.get(op.invoke) as Pair['invoke'],
    done: op.completion === null ? null : (byIndex.get(op.completion) as ClientEvent),
  }));
}

const tookEffectMaybe = (p: Pair): boolean => p.done?.type !== 'fail';

/**
 * The fragment on which the image is exact (the proof is in docs/export.md): no TTL; every read
 * that saw the lock held names the holder; per owner at most one acquire and one release that
 * may have taken effect; and every acknowledged release follows, in real time, its owner's
 * acknowledged acquire. Throws ExportRefusal naming the first operation outside it.
 */
function refuseOutsideFragment(events: readonly HistoryEvent[], ops: readonly Pair[]): void {
  const ttl = ttlSecondsOf(events);
  if (ttl !== undefined) {
    throw new ExportRefusal(
      `recorded with a lock TTL of ${ttl} s: expiry depends on operation times, which the EDN and kv readers do not use (they order by line), so no register history gives the same verdict; export histories recorded with ttl_s: 0`,
    );
  }
  const acquires = new Map<string, Pair>();
  const releases = new Set<string>();
  for (const p of ops) {
    const inv = p.invoke;
    const line = inv.index + 1;
    if (inv.f === 'guarded-read' || inv.f === 'guarded-write') {
      throw new ExportRefusal(`line ${line}: a ${inv.f} of the guarded record is no lock operation, and no register operation says what it did; export histories recorded without guarded: on`);
    }
    if (!tookEffectMaybe(p)) continue;
    if (inv.f === 'read') {
      const v = p.done?.type === 'ok' && p.done.f === 'read' ? p.done.value : undefined;
      if (v?.state === 'held' && typeof v.owner !== 'string') {
        throw new ExportRefusal(`line ${p.done!.index + 1}: a read saw the lock held without an owner; a register read must name the value it saw`);
      }
      continue;
    }
    if (inv.f === 'acquire') {
      if (acquires.has(inv.owner)) {
        throw new ExportRefusal(`line ${line}: owner ${JSON.stringify(inv.owner)} acquires a second time; re-acquiring one's own hold is a no-op in the lock model and no single register operation says so`);
      }
      acquires.set(inv.owner, p);
      continue;
    }
    if (releases.has(inv.owner)) throw new ExportRefusal(`line ${line}: owner ${JSON.stringify(inv.owner)} releases a second time`);
    releases.add(inv.owner);
    if (p.done?.type !== 'ok') continue;
    // An info release may be left out by both models, so only an acknowledged one needs the hold.
    const acquire = acquires.get(inv.owner);
    if (!acquire || acquire.done?.type !== 'ok' || !(acquire.done.time < inv.time)) {
      throw new ExportRefusal(
        `line ${line}: owner ${JSON.stringify(inv.owner)}'s release was acknowledged without an acknowledged acquire before it; releasing a free lock is allowed by the lock model but not by a cas`,
      );
    }
  }
}

function registerOp(p: Pair): { f: RegisterEvent['f']; invoke: RegisterEvent['value']; done: RegisterEvent['value'] } {
  const inv = p.invoke;
  if (inv.f === 'acquire') return { f: 'cas', invoke: [null, inv.owner], done: [null, inv.owner] };
  if (inv.f === 'release') return { f: 'cas', invoke: [inv.owner, null], done: [inv.owner, null] };
  const v = p.done?.type === 'ok' && p.done.f === 'read' ? p.done.value : undefined;
  return { f: 'read', invoke: undefined, done: v === undefined ? undefined : v.state === 'free' ? null : (v.owner as string) };
}

/**
 * The register history of one key, as events in the order a line-ordered reader must see them:
 * by time, calls before returns at the same instant (the search treats touching operations as
 * concurrent), preceded by a write of :free that completes before anything else is called (the
 * register's own initial value, nil, would read as "unknown").
 */
export function lockToRegister(events: readonly HistoryEvent[], opts: ExportOptions = {}): RegisterEvent[] {
  const key = pickKey(events, opts.key);
  const client = events.filter(isClientEvent).filter((e) => e.key === key);
  const ops = pairs(events).filter((p) => p.invoke.key === key);
  refuseOutsideFragment(events, ops);
  const initProcess = Math.max(-1, ...client.map((e) => e.process)) + 1;
  const out: { ev: RegisterEvent; order: number; seq: number }[] = [];
  ops.forEach((p, seq) => {
    const r = registerOp(p);
    const base = { process: p.invoke.process, f: r.f, key };
    out.push({ ev: { ...base, type: 'invoke', time: p.invoke.time, ...(r.invoke !== undefined ? { value: r.invoke } : {}) }, order: 0, seq });
    if (p.done) {
      const value = p.done.type === 'ok' ? r.done : r.f === 'cas' ? r.invoke : undefined;
      out.push({ ev: { ...base, type: p.done.type, time: p.done.time, ...(value !== undefined ? { value } : {}) }, order: 1, seq });
    }
  });
  out.sort((a, b) => a.ev.time - b.ev.time || a.order - b.order || a.seq - b.seq);
  // Calls first at a tie must not put a process's next call before its own previous return.
  const open = new Set<number>();
  for (const { ev } of out) {
    if (ev.type === 'invoke') {
      if (open.has(ev.process)) {
        throw new ExportRefusal(`process ${ev.process} calls at ${ev.time} ns, the instant its previous operation returned: the lock model counts the two as concurrent, a line order cannot`);
      }
      open.add(ev.process);
    } else open.delete(ev.process);
  }
  const init: RegisterEvent[] = [
    { process: initProcess, type: 'invoke', f: 'write', value: null, time: 0, key },
    { process: initProcess, type: 'ok', f: 'write', value: null, time: 0, key },
  ];
  return [...init, ...out.map((o) => o.ev)];
}
