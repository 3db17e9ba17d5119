import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from './analyze.ts';
import { doubleHolder } from './double-holder.ts';
import { lostRelease } from './lost-release.ts';
import { nonLinearizable } from './non-linearizable.ts';
import { resurrectedLock } from './resurrected-lock.ts';
import { findWith, runChecker } from './testing/run-checker.ts';
import { free, held, HistoryBuilder } from './testing/history-builder.ts';
import { generateHistory, type Breakage, type Scenario, type Step } from './testing/sequential-lock.ts';

const ownerRow = (row: Record<string, unknown> | null): boolean => row === null || typeof row['owner'] === 'string' || row['lock'] === true;

describe('analyzeHistory', () => {
  it('counts operations by outcome and by f, an unfinished invocation as info', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.acquire(2, 'k', 'B', 'fail');
    h.read(2, 'k', held('A'));
    h.release(1, 'k', 'A', 'info');
    h.invoke(3, { f: 'read', key: 'k' });
    const { ops, verdict, anomalies } = analyzeHistory(h.events, { ttlSeconds: 0 });
    expect(ops).toEqual({
      ok: 2,
      fail: 1,
      info: 2,
      byF: { acquire: { ok: 1, fail: 1, info: 0 }, read: { ok: 1, fail: 0, info: 1 }, release: { ok: 0, fail: 0, info: 1 } },
    });
    expect(anomalies).toEqual([]);
    expect(verdict).toBe('safe');
  });

  it('is unsafe with every anomaly found, each once', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.acquire(2, 'k', 'B');
    h.release(1, 'k', 'A');
    h.read(3, 'k', held('A'), { final: true });
    h.read(4, 'k', held('A'), { final: true });
    const { verdict, anomalies } = analyzeHistory(h.events, { ttlSeconds: 0 });
    expect(verdict).toBe('unsafe');
    const kinds = anomalies.map((a) => a.kind).sort();
    expect(kinds).toEqual(['double-holder', 'lost-release', 'non-linearizable', 'orphaned-lock']);
  });

  it('is unknown when the linearizability search runs out of time and nothing else was found', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k1', 'A');
    h.read(1, 'k1', held('A'));
    h.acquire(2, 'k2', 'B');
    h.read(2, 'k2', held('B'));
    expect(analyzeHistory(h.events, { ttlSeconds: 0, timeoutMs: 0 }).verdict).toBe('unknown');
    h.read(3, 'k2', free());
    h.read(3, 'k2', held('B'));
    expect(analyzeHistory(h.events, { ttlSeconds: 0, timeoutMs: 0 }).verdict).toBe('unsafe');
  });

  it('returns the linearizability search its verdict rests on, for the report to draw', () => {
    const h = new HistoryBuilder();
    h.acquire(1, 'k', 'A');
    h.read(2, 'k', free());
    const illegal = analyzeHistory(h.events, { ttlSeconds: 0 });
    expect(illegal.linearizability?.result.verdict).toBe('illegal');
    expect(illegal.linearizability?.ops).toHaveLength(2);
    const hard = new HistoryBuilder();
    hard.acquire(1, 'k1', 'A');
    hard.read(1, 'k1', held('A'));
    hard.acquire(2, 'k2', 'B');
    hard.read(2, 'k2', held('B'));
    const outOfTime = analyzeHistory(hard.events, { ttlSeconds: 0, timeoutMs: 0 });
    expect([outOfTime.linearizability?.result.verdict, outOfTime.undecided]).toEqual(['unknown', 'the linearizability search ran out of its budget']);
  });

  it('judges torn rows by the recipe its meta line names, unless told otherwise', () => {
    const h = new HistoryBuilder('lwt');
    h.read(1, 'k', { state: 'held', owner: null, row: { owner: 7 } });
    const asked: string[] = [];
    const rowRuleOf = (recipe: string) => {
      asked.push(recipe);
      return (row: Record<string, unknown> | null) => row === null || typeof row['owner'] === 'string';
    };
    expect(analyzeHistory(h.events, { rowRuleOf }).anomalies.map((a) => a.kind)).toContain('torn-row');
    expect(asked).toEqual(['lwt']);
    expect(analyzeHistory(h.events, { rowRuleOf, rowIsReachable: () => true }).anomalies.map((a) => a.kind)).not.toContain('torn-row');
    expect(analyzeHistory(h.events).anomalies.map((a) => a.kind)).not.toContain('torn-row');
  });
});

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ do: fc.constant('invoke' as const), worker: fc.nat(7), choice: fc.nat(11) }) },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('take-effect' as const), pick: fc.nat(7), choice: fc.nat(999) }) },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('complete' as const), pick: fc.nat(7), choice: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('land' as const), pick: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 1_500 }) }) },
);

const scenario = (broken?: Breakage): fc.Arbitrary<Scenario> =>
  fc.record({
    workers: fc.integer({ min: 1, max: 4 }),
    keys: fc.integer({ min: 1, max: 2 }),
    ttlSeconds: fc.constantFrom(0, 1, 2, 3),
    ownerColumn: fc.boolean(),
    cleanup: fc.boolean(),
    steps: fc.array(step, { minLength: 5, maxLength: 80, size: 'max' }),
    landAtEnd: fc.array(fc.boolean(), { maxLength: 6 }),
    ...(broken ? { broken: fc.constant(broken) } : {}),
  });

describe('a correct lock', () => {
  it('never yields a safety anomaly, and yields an orphaned lock exactly when a given-up lock is stuck', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        const { events, stuck } = generateHistory(s);
        const analysis = analyzeHistory(events, { ttlSeconds: s.ttlSeconds, rowIsReachable: ownerRow });
        // Orphaned and ghost locks are liveness findings a correct lock can show under faults.
        expect(analysis.anomalies.filter((a) => a.kind !== 'orphaned-lock' && a.kind !== 'ghost-lock')).toEqual([]);
        const orphans = analysis.anomalies.filter((a) => a.kind === 'orphaned-lock').map((a) => [a.key, a.owners[0]] as const);
        expect(new Map(orphans)).toEqual(stuck);
        // A ghost is an owner whose acquire errored, whose clean-up failed and that no release ever freed.
        const completions = events.filter((e) => e.type === 'ok' || e.type === 'fail' || e.type === 'info');
        for (const ghost of analysis.anomalies.filter((a) => a.kind === 'ghost-lock')) {
          const mine = completions.filter((e) => e.f !== 'read' && e.owner === ghost.owners[0]);
          expect(mine.some((e) => e.f === 'acquire' && e.type !== 'ok')).toBe(true);
          expect(mine.some((e) => e.f === 'release' && e.type !== 'ok')).toBe(true);
          expect(mine.some((e) => e.f === 'release' && e.type === 'ok')).toBe(false);
        }
        expect(analysis.verdict).toBe(analysis.anomalies.length > 0 ? 'unsafe' : 'safe');
      }),
      { numRuns: 400 },
    );
  });

  it('is not vacuous: the generator exercises unknown outcomes, and a lock without exclusion is caught', () => {
    const samples = fc.sample(scenario(), { numRuns: 200, seed: 7 }).map((s) => generateHistory(s).events);
    const withInfo = samples.filter((events) => events.some((e) => e.type === 'info' && e.f === 'acquire'));
    const withHeldReads = samples.filter((events) => events.some((e) => e.type === 'ok' && e.f === 'read' && e.value.state === 'held'));
    expect(withInfo.length).toBeGreaterThan(20);
    expect(withHeldReads.length).toBeGreaterThan(20);

    // Owners named in rows and no TTL, so that every breakage is attributable.
    const caught = (broken: Breakage, kind: string): number =>
      fc
        .sample(scenario(broken), { numRuns: 200, seed: 7 })
        .map((s) => generateHistory({ ...s, ownerColumn: true, ttlSeconds: 0 }).events)
        .filter((events) => analyzeHistory(events, { ttlSeconds: 0 }).anomalies.some((a) => a.kind === kind)).length;
    expect(caught('no-exclusion', 'double-holder')).toBeGreaterThan(10);
    expect(caught('release-ignored', 'lost-release')).toBeGreaterThan(10);
    expect(caught('stale-reads', 'resurrected-lock')).toBeGreaterThan(10);
  });
});

describe('histories from the simulated lock service (bench/checker-lock-history.ts)', () => {
  it('are all safe: a second, independent generator of correct histories', async () => {
    const { generateLockHistory } = await import('../../bench/checker-lock-history.ts');
    for (let seed = 1; seed <= 20; seed++) {
      const events = generateLockHistory({ ops: 2_000, keys: 3, processes: 6, ttlSeconds: 1 + (seed % 3), infoRate: 0.05, seed });
      const ttlSeconds = 1 + (seed % 3);
      const analysis = analyzeHistory(events, { ttlSeconds, rowIsReachable: ownerRow });
      expect(analysis.anomalies).toEqual([]);
      expect(analysis.verdict).toBe('safe');
      expect(analysis.ops.info).toBeGreaterThan(0);
    }
  });
});

describe('every named safety anomaly', () => {
  it('is confirmed by the exhaustive linearizability search on the same history', () => {
    const named = [doubleHolder, resurrectedLock, lostRelease];
    let confirmed = 0;
    for (const broken of ['no-exclusion', 'release-ignored', 'stale-reads'] as const) {
      for (const s of fc.sample(scenario(broken), { numRuns: 250, seed: 11 })) {
        const { events } = generateHistory(s);
        const opts = { ttlSeconds: s.ttlSeconds };
        if (named.every((checker) => findWith(checker, events, opts).length === 0)) continue;
        expect(runChecker(nonLinearizable, events, { ...opts, timeoutMs: 20_000 }).picture!.result.verdict).toBe('illegal');
        confirmed++;
      }
    }
    expect(confirmed).toBeGreaterThan(30);
  });
});
