import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairHistory } from '../../history/index.ts';
import { buildCheckContext } from './context.ts';
import { guardedCounts } from './guarded-sections.ts';
import { lostUpdate } from './lost-update.ts';
import { staleHolder } from './stale-holder.ts';
import { findWith, runChecker } from './testing/run-checker.ts';
import { HistoryBuilder } from './testing/history-builder.ts';

const TTL = { ttlSeconds: 2 };
const value = (counter: number, fence = 0) => ({ counter, fence });
const counts = (h: HistoryBuilder) => guardedCounts(pairHistory(h.events), buildCheckContext(h.events, TTL));

/** A holder's whole critical section: acquire, read, write `read + 1`. */
function section(h: HistoryBuilder, process: number, key: string, owner: string, read: number, opts: { token?: number; pauseMs?: number; write?: 'ok' | 'fail' | 'info' } = {}) {
  h.acquire(process, key, owner);
  h.guardedRead(process, key, owner, value(read), { ...(opts.token !== undefined ? { token: opts.token } : {}) });
  if (opts.pauseMs) h.advance(opts.pauseMs);
  return h.guardedWrite(process, key, owner, read + 1, { outcome: opts.write ?? 'ok', ...(opts.token !== undefined ? { token: opts.token } : {}) });
}

describe('lost-update', () => {
  it('flags two critical sections that read the same counter and both wrote', () => {
    const h = new HistoryBuilder('lwt', TTL);
    h.acquire(1, 'k', 'A');
    h.guardedRead(1, 'k', 'A', value(0));
    h.acquire(2, 'k', 'B');
    h.guardedRead(2, 'k', 'B', value(0));
    const [aw, awOk] = h.guardedWrite(1, 'k', 'A', 1);
    const [bw, bwOk] = h.guardedWrite(2, 'k', 'B', 1);
    h.guardedRead(9, 'k', undefined, value(1), { final: true });
    const found = findWith(lostUpdate, h.events, TTL);
    const pair = found.find((a) => a.owners.length === 2);
    expect(pair).toMatchObject({ kind: 'lost-update', key: 'k', owners: ['A', 'B'], witness: [aw, awOk, bw, bwOk] });
    expect(counts(h)?.lostUpdates).toBe(1);
  });

  it('flags acknowledged increments the final value does not contain', () => {
    const h = new HistoryBuilder('lwt', TTL);
    section(h, 1, 'k', 'A', 0);
    section(h, 2, 'k', 'B', 1);
    section(h, 3, 'k', 'C', 2);
    const [, fin] = h.guardedRead(9, 'k', undefined, value(1), { final: true });
    const found = findWith(lostUpdate, h.events, TTL);
    expect(found).toHaveLength(1);
    expect(found[0]!.witness).toContain(fin);
    expect(found[0]!.explanation).toMatch(/at least 2 acknowledged updates are lost/);
    expect(counts(h)?.lostUpdates).toBe(2);
  });

  it('does not flag serial increments, a refused fenced write, or a write whose outcome is unknown', () => {
    const h = new HistoryBuilder('lwt', TTL);
    section(h, 1, 'k', 'A', 0, { token: 1 });
    section(h, 2, 'k', 'B', 1, { token: 2 });
    section(h, 3, 'k', 'C', 1, { token: 1, write: 'fail' });
    section(h, 4, 'k', 'D', 2, { token: 3, write: 'info' });
    h.guardedRead(9, 'k', undefined, value(3, 3), { final: true });
    expect(findWith(lostUpdate, h.events, TTL)).toEqual([]);
    expect(counts(h)).toMatchObject({ fenced: true, lostUpdates: 0 });
  });

  it('says it did not judge a record whose final read never answered', () => {
    const h = new HistoryBuilder('lwt', TTL);
    section(h, 1, 'k', 'A', 0);
    const r = runChecker(lostUpdate, h.events, TTL);
    expect(r.anomalies).toEqual([]);
    expect(r.notJudged).toMatch(/no final read of k/);
  });

  it('has nothing to say about a history without a guarded record', () => {
    const h = new HistoryBuilder('lwt', TTL);
    h.acquire(1, 'k', 'A');
    expect(runChecker(lostUpdate, h.events, TTL)).toEqual({ anomalies: [] });
    expect(counts(h)).toBeNull();
  });
});

describe('stale-holder', () => {
  /** A reads, pauses `pauseMs`; B acquires and reads meanwhile; then A writes with `outcome`. */
  function overtaken(pauseMs: number, outcome: 'ok' | 'fail' | 'info', token?: { a: number; b: number }) {
    const h = new HistoryBuilder('lwt', TTL);
    const [aInv] = h.acquire(1, 'k', 'A');
    h.guardedRead(1, 'k', 'A', value(0), token ? { token: token.a } : {});
    h.advance(pauseMs);
    h.acquire(2, 'k', 'B');
    const [, bRead] = h.guardedRead(2, 'k', 'B', value(0), token ? { token: token.b } : {});
    const [aw] = h.guardedWrite(1, 'k', 'A', 1, { outcome, ...(token ? { token: token.a } : {}) });
    return { h, aInv, bRead, aw };
  }

  it('flags a write sent after the lease ran out that landed after a newer holder read the record', () => {
    const { h, aInv, bRead, aw } = overtaken(5_000, 'ok');
    const found = findWith(staleHolder, h.events, TTL);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'stale-holder', key: 'k', owners: ['A', 'B'] });
    expect(found[0]!.witness).toEqual(expect.arrayContaining([aInv, bRead, aw]));
    expect(counts(h)).toMatchObject({ staleIssued: 1, staleLanded: 1, staleOverNewer: 1 });
  });

  it('counts a stale write the fence refused as issued, not landed, and flags nothing', () => {
    const { h } = overtaken(5_000, 'fail', { a: 10, b: 20 });
    expect(findWith(staleHolder, h.events, TTL)).toEqual([]);
    expect(counts(h)).toMatchObject({ fenced: true, staleIssued: 1, staleLanded: 0, staleOverNewer: 0 });
  });

  it('does not call a write stale while the lease may still hold (TTL plus the expiry granularity)', () => {
    // 2 s TTL, 1 s granularity: a write 2.9 s after the acquire completed may still be inside the lease.
    const { h } = overtaken(2_900, 'ok');
    expect(findWith(staleHolder, h.events, TTL)).toEqual([]);
    expect(counts(h)).toMatchObject({ staleIssued: 0 });
  });

  it('counts a stale write that landed with no newer holder as landed, but flags nothing', () => {
    const h = new HistoryBuilder('lwt', TTL);
    section(h, 1, 'k', 'A', 0, { pauseMs: 5_000 });
    expect(findWith(staleHolder, h.events, TTL)).toEqual([]);
    expect(counts(h)).toMatchObject({ staleIssued: 1, staleLanded: 1, staleOverNewer: 0 });
  });

  it('does not judge leases when a fault moved node clocks', () => {
    const { h } = overtaken(5_000, 'ok');
    h.nemesis('start', 'clock-skew');
    const r = runChecker(staleHolder, h.events, TTL);
    expect(r.anomalies).toEqual([]);
    expect(r.notJudged).toMatch(/moved node clocks/);
  });
});

describe('a correct, fenced, sequential history', () => {
  // Sections one after another on a few keys; some holders pause past their lease after reading
  // and are overtaken by a newer holder, whose higher token makes the record refuse their write.
  const sectionArb = fc.record({ key: fc.constantFrom('k0', 'k1', 'k2'), pauseMs: fc.nat(9_000), overtaken: fc.boolean(), gapMs: fc.nat(3_000) });

  it('never yields lost-update or stale-holder', () => {
    fc.assert(
      fc.property(fc.array(sectionArb, { minLength: 1, maxLength: 25 }), (sections) => {
        const h = new HistoryBuilder('lwt', TTL);
        const counter = new Map<string, number>();
        let token = 0;
        let n = 0;
        for (const s of sections) {
          const c = counter.get(s.key) ?? 0;
          const a = `p${n++}-0`;
          const aToken = ++token;
          h.acquire(1, s.key, a);
          h.guardedRead(1, s.key, a, value(c, aToken - 1), { token: aToken });
          if (s.overtaken) {
            // A's lease runs out while it is paused; B takes the lock and does its whole section.
            h.advance(4_000 + s.pauseMs);
            const b = `p${n++}-0`;
            const bToken = ++token;
            section(h, 2, s.key, b, c, { token: bToken });
            h.release(2, s.key, b);
            h.guardedWrite(1, s.key, a, c + 1, { token: aToken, outcome: 'fail' });
          } else {
            h.advance(s.pauseMs % 1_500);
            h.guardedWrite(1, s.key, a, c + 1, { token: aToken });
            h.release(1, s.key, a);
          }
          counter.set(s.key, c + 1);
          h.advance(s.gapMs);
        }
        for (const key of ['k0', 'k1', 'k2']) h.guardedRead(9, key, undefined, value(counter.get(key) ?? 0, token), { final: true });
        expect(findWith(lostUpdate, h.events, TTL)).toEqual([]);
        expect(findWith(staleHolder, h.events, TTL)).toEqual([]);
        const got = counts(h)!;
        expect(got.lostUpdates).toBe(0);
        expect(got.staleOverNewer).toBe(0);
        expect(got.staleLanded).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
