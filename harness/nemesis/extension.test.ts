// Adding a fault family and a cluster provider: each is one file plus one registration, and the
// nemesis then plans, validates, runs, heals, and refuses what a provider cannot do, by name.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, registerProvider, startCluster } from '../cluster/index.ts';
import { MemoryCluster, memoryProvider } from '../cluster/testing/memory-provider.ts';
import { UserError } from '../core/errors.ts';
import {
  faultNames, healAll, knownFaultNames, movesClocks, parseNemesisSpec, planPrefix, registerFaultFamily, runNemesis,
  validateNemesisMix, type NemesisRecord,
} from './index.ts';
import { driftFamily } from './testing/drift-family.ts';

registerProvider(memoryProvider);
registerFaultFamily(driftFamily);

async function memoryCluster(): Promise<MemoryCluster> {
  return (await startCluster({}, { provider: 'memory' })) as MemoryCluster;
}

describe('a test-only fault family, registered once', () => {
  it('joins the names, the params schema and the plans, after the built-in faults', () => {
    expect(faultNames().at(-1)).toBe('clock-drift');
    expect(knownFaultNames()).toContain('drift');
    expect(validateNemesisMix({ faults: ['drift'], params: { driftMs: 0 } })).toEqual([
      { path: ['params', 'driftMs'], message: expect.stringMatching(/>=\s*1/) },
    ]);
    const settings = parseNemesisSpec({ faults: ['drift', 'kill'], onMs: 1, offMs: 1, params: { driftMs: 300 } });
    const plan = planPrefix(settings, 4, ['n1', 'n2', 'n3'], 30);
    expect(new Set(plan.map((f) => f.name))).toEqual(new Set(['clock-drift', 'kill']));
    for (const f of plan) if (f.family === ('drift' as string)) expect(f).toMatchObject({ driftMs: 300 });
  });

  it('says it moves clocks; built-in faults answer for themselves', () => {
    expect(movesClocks('clock-drift')).toBe(true);
    expect(movesClocks('clock-skew')).toBe(true);
    expect(movesClocks('kill')).toBe(false);
    expect(movesClocks('reply-lost')).toBe(false);
    expect(movesClocks('no-such-fault')).toBe(false);
  });
});

describe('a test-only cluster provider, registered once', () => {
  it('starts through startCluster with the run config\'s default settings', async () => {
    const cluster = await memoryCluster();
    expect(cluster.provider).toBe('memory');
    expect(cluster.settings).toEqual(DEFAULT_SETTINGS);
    await cluster.teardown();
    expect(cluster.tornDown).toBe(true);
  });

  it('runs the new family and a built-in one window by window, and leaves everything healed', async () => {
    const cluster = await memoryCluster();
    const events: Parameters<NemesisRecord>[0][] = [];
    const abort = new AbortController();
    // Abort once a few windows have been recorded (the memory cluster acts instantly).
    const record: NemesisRecord = (e) => {
      events.push(e);
      if (events.length >= 8) abort.abort();
    };
    await runNemesis(cluster, { faults: ['clock-drift', 'kill'], onMs: 1, offMs: 1 }, 11, record, abort.signal);
    expect(events.length).toBeGreaterThanOrEqual(8);
    const starts = events.filter((e) => e.phase === 'start');
    expect(starts.map((e) => e.fault)).toEqual(planPrefix(parseNemesisSpec({ faults: ['clock-drift', 'kill'], onMs: 1, offMs: 1 }), 11, ['n1', 'n2', 'n3'], starts.length).map((f) => f.name));
    expect(new Set(starts.map((e) => e.fault))).toEqual(new Set(['clock-drift', 'kill']));
    expect([...cluster.offsets.values()]).toEqual([0, 0, 0]);
    expect([...cluster.life.values()]).toEqual(['up', 'up', 'up']);
  });

  it('refuses, by name and before any window, faults whose capability the provider lacks', async () => {
    const cluster = await memoryCluster();
    const events: unknown[] = [];
    const err = await runNemesis(cluster, { faults: ['kill', 'link-down', 'partition-isolate'], onMs: 1, offMs: 1 }, 1, (e) => events.push(e), new AbortController().signal).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('nemesis: the memory cluster cannot run link-down (needs links), partition-isolate (needs net)');
    expect(events).toEqual([]);
  });

  it('heals only through the capabilities it has', async () => {
    const cluster = await memoryCluster();
    cluster.life.set('n2', 'paused');
    cluster.offsets.set('n3', 900);
    await healAll(cluster);
    expect([...cluster.life.values()]).toEqual(['up', 'up', 'up']);
    expect([...cluster.offsets.values()]).toEqual([0, 0, 0]);
  });

  it('says when every fault is undone, before it waits for health', async () => {
    const cluster = await memoryCluster();
    cluster.life.set('n2', 'paused');
    const seen: string[] = [];
    const waitHealthy = cluster.waitHealthy.bind(cluster);
    cluster.waitHealthy = async () => {
      seen.push('health check');
      return waitHealthy();
    };
    await healAll(cluster, 1_000, () => seen.push(`undone, n2 ${cluster.life.get('n2')}`));
    expect(seen).toEqual(['undone, n2 up', 'health check']);
  });
});
