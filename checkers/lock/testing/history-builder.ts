// A tiny typed builder for hand-written histories in the checkers' tests. Times advance by one
// millisecond per event unless the test moves the clock with `advance`.

import type { GuardedValue, HistoryEvent, InvokeEvent, JsonValue, LockOp, ReadValue } from '../../../history/index.ts';

const NS_PER_MS = 1_000_000;

export const free = (row: ReadValue['row'] = null): ReadValue => ({ state: 'free', owner: null, row });
export const held = (owner: string, row: ReadValue['row'] = { owner }): ReadValue => ({ state: 'held', owner, row });
/** A held row from a recipe without an owner column. */
export const heldByUnknown = (row: ReadValue['row']): ReadValue => ({ state: 'held', row });

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private nowNs = 0;
  private readonly open = new Map<number, InvokeEvent>();

  constructor(recipe = 'test', params: Record<string, JsonValue> = { ttlSeconds: 0 }) {
    this.push({ type: 'meta', recipe, params });
  }

  /** The clock: the time of the last event plus any advance since. */
  get now(): number {
    return this.nowNs;
  }

  /** Moves the clock forward (in milliseconds) before the next event. */
  advance(ms: number): this {
    this.nowNs += ms * NS_PER_MS;
    return this;
  }

  invoke(process: number, op: LockOp, extra: { final?: boolean } = {}): number {
    if (this.open.has(process)) throw new Error(`process ${process} already has an open operation`);
    const e = this.push({ type: 'invoke', process, ...op, ...extra }) as InvokeEvent;
    this.open.set(process, e);
    return e.index;
  }

  /** Completes the open operation of `process`; a read needs the value it saw. */
  ok(process: number, value?: ReadValue): number {
    const inv = this.take(process);
    if (inv.f === 'guarded-read' || inv.f === 'guarded-write') throw new Error('guarded operations are written whole: guardedRead, guardedWrite');
    if (inv.f === 'read') {
      if (!value) throw new Error('an ok read needs a value');
      return this.push({ type: 'ok', process, f: 'read', key: inv.key, value }).index;
    }
    return this.push({ type: 'ok', process, f: inv.f, key: inv.key, owner: inv.owner }).index;
  }

  /** `saw` is what an unapplied LWT reported. */
  fail(process: number, saw?: ReadValue): number {
    const op = this.opOf(this.take(process));
    return this.push({ type: 'fail', process, ...op, error: 'rejected', ...(saw ? { value: saw } : {}) }).index;
  }

  info(process: number): number {
    return this.push({ type: 'info', process, ...this.opOf(this.take(process)), error: 'timed out' }).index;
  }

  nemesis(phase: 'start' | 'stop', fault: string, targets: string[] = ['n1']): number {
    return this.push({ type: 'nemesis', phase, fault, targets }).index;
  }

  // Whole operations, for the common case where nothing overlaps them.
  acquire(process: number, key: string, owner: string, outcome: 'ok' | 'fail' | 'info' = 'ok'): [number, number] {
    const i = this.invoke(process, { f: 'acquire', key, owner });
    return [i, outcome === 'ok' ? this.ok(process) : this[outcome](process)];
  }

  release(process: number, key: string, owner: string, outcome: 'ok' | 'fail' | 'info' = 'ok'): [number, number] {
    const i = this.invoke(process, { f: 'release', key, owner });
    return [i, outcome === 'ok' ? this.ok(process) : this[outcome](process)];
  }

  read(process: number, key: string, value: ReadValue, extra: { final?: boolean } = {}): [number, number] {
    const i = this.invoke(process, { f: 'read', key }, extra);
    return [i, this.ok(process, value)];
  }

  /** A whole guarded read: `value` is what an ok one saw; `token` the fencing token it claimed with. */
  guardedRead(
    process: number,
    key: string,
    owner: string | undefined,
    value: GuardedValue,
    opts: { outcome?: 'ok' | 'fail' | 'info'; token?: number; final?: boolean } = {},
  ): [number, number] {
    const op = { f: 'guarded-read' as const, key, ...(owner !== undefined ? { owner } : {}) };
    const i = this.push({ type: 'invoke', process, ...op, ...(opts.final ? { final: true } : {}) }).index;
    const outcome = opts.outcome ?? 'ok';
    const token = opts.token !== undefined ? { token: opts.token } : {};
    if (outcome === 'ok') return [i, this.push({ type: 'ok', process, ...op, value, ...token }).index];
    if (outcome === 'fail') return [i, this.push({ type: 'fail', process, ...op, error: 'not the holder' }).index];
    return [i, this.push({ type: 'info', process, ...op, error: 'timed out' }).index];
  }

  /** A whole guarded write of `counter`; `fail` is a fenced write the record refused. */
  guardedWrite(process: number, key: string, owner: string, counter: number, opts: { outcome?: 'ok' | 'fail' | 'info'; token?: number; pauseMs?: number } = {}): [number, number] {
    const op = { f: 'guarded-write' as const, key, owner, counter, ...(opts.token !== undefined ? { token: opts.token } : {}) };
    const i = this.push({ type: 'invoke', process, ...op }).index;
    if (opts.pauseMs) this.advance(opts.pauseMs);
    const outcome = opts.outcome ?? 'ok';
    if (outcome === 'ok') return [i, this.push({ type: 'ok', process, ...op }).index];
    if (outcome === 'fail') return [i, this.push({ type: 'fail', process, ...op, error: 'fenced out' }).index];
    return [i, this.push({ type: 'info', process, ...op, error: 'timed out' }).index];
  }

  private take(process: number): InvokeEvent {
    const inv = this.open.get(process);
    if (!inv) throw new Error(`process ${process} has no open operation`);
    this.open.delete(process);
    return inv;
  }

  private opOf(inv: InvokeEvent): LockOp {
    if (inv.f === 'guarded-read' || inv.f === 'guarded-write') throw new Error('guarded operations are written whole: guardedRead, guardedWrite');
    return inv.f === 'read' ? { f: 'read', key: inv.key } : { f: inv.f, key: inv.key, owner: inv.owner };
  }

  private push<E extends DistributiveOmit<HistoryEvent, 'index' | 'time'>>(e: E): HistoryEvent {
    this.nowNs += NS_PER_MS;
    const event = { ...e, index: this.events.length, time: this.nowNs } as unknown as HistoryEvent;
    this.events.push(event);
    return event;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
