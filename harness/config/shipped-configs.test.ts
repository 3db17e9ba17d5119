// The configs in configs/ are part of the product: each must load against the real recipe and
// nemesis registries, and keep the shape its comment promises.
import { readdirSync } from 'node:fs';
import { LINES } from '../cluster/versions.ts';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from './index.ts';
import { knownNames } from './known.ts';
import { familyNames, parseNemesisSpec, planPrefix } from '../nemesis/index.ts';

const CONFIGS = resolve(import.meta.dirname, '../../configs');
const load = async (name: string) => (await loadPlan(resolve(CONFIGS, name), knownNames())).plan;
const workloadSeconds = (plan: Awaited<ReturnType<typeof load>>) => plan.cells.reduce((s, c) => s + c.params.durationMs / 1000, 0);

describe('shipped configs', () => {
  it('demo: write-then-delete vs lwt at ONE and QUORUM under client-link cuts, leaving room under 5 minutes', async () => {
    const plan = await load('demo.yaml');
    expect(plan.cells.map((c) => [c.params.recipe, c.params.writeCl, c.expectation])).toEqual([
      ['write-then-delete', 'ONE', 'unsafe-allowed'],
      ['write-then-delete', 'QUORUM', 'unsafe-allowed'],
      ['lwt', 'ONE', 'safe'],
      ['lwt', 'QUORUM', 'safe'],
    ]);
    expect(plan.cells.every((c) => c.params.nemesis?.faults.every((f) => ['reply-lost', 'request-lost', 'link-down'].includes(f)))).toBe(true);
    expect(workloadSeconds(plan)).toBeLessThanOrEqual(150);
  });

  it('nightly: the full comparison, one cluster restart, workload time well under 45 minutes', async () => {
    const plan = await load('nightly.yaml');
    expect(plan.varying).toEqual(['recipe', 'write_cl', 'paxos_variant', 'nemesis']);
    const restarts = plan.cells.filter((c, i) => i > 0 && c.server.paxosVariant !== plan.cells[i - 1]!.server.paxosVariant).length;
    expect(restarts).toBe(1);
    expect(workloadSeconds(plan)).toBeLessThanOrEqual(25 * 60);
    expect(plan.cells.filter((c) => c.params.recipe === 'lwt').every((c) => c.expectation === 'safe')).toBe(true);
  });

  it('nightly: the windows that fit in its cells bring every fault family', async () => {
    const plan = await load('nightly.yaml');
    const seen = new Set<string>();
    for (const { params } of plan.cells) {
      const spec = params.nemesis;
      if (!spec) continue;
      // The schedule opens with a quiet period, then alternates fault and quiet.
      const windows = Math.floor((params.durationMs + spec.onMs) / (spec.offMs + spec.onMs));
      const settings = parseNemesisSpec(spec);
      for (const fault of planPrefix(settings, params.seed, ['n1', 'n2', 'n3'], windows)) seen.add(fault.family);
    }
    expect([...seen].sort()).toEqual([...familyNames()].sort());
  });

  it('incidents: each runs its incident recipe', async () => {
    const wtd = await load('incident-write-then-delete.yaml');
    expect(wtd.cells.map((c) => c.params.recipe)).toEqual(['write-then-delete', 'write-then-delete-retry', 'lwt']);
    const tie = await load('incident-timestamp-tie.yaml');
    // Each timestamp mode with the acquire's TTL (the release is lost whole) and without (the row tears).
    const modes = [{ kind: 'tie' }, { kind: 'quantized', unitMs: 1000 }, { kind: 'skewed', offsetMs: -1500 }];
    expect(new Set(tie.cells.map((c) => JSON.stringify([c.params.timestamps, c.params.ttlSeconds])))).toEqual(
      new Set(modes.flatMap((m) => [20, 0].map((ttl) => JSON.stringify([m, ttl])))),
    );
    expect(tie.cells.every((c) => c.params.recipe === 'lwt-ttl-plain-release')).toBe(true);
  });

  it('versions: both recipes on 4.0, 4.1 and 5.0 in one report, one cluster start per version', async () => {
    for (const file of ['versions.yaml', 'versions-tie.yaml']) {
      const plan = await load(file);
      const versions = plan.cells.map((c) => c.server.cassandraVersion);
      expect(new Set(versions)).toEqual(new Set([LINES['4.0'].newest, LINES['4.1'].newest, LINES['5.0'].newest]));
      expect(versions.filter((v, i) => i > 0 && v !== versions[i - 1]).length).toBe(2);
      expect(plan.cells.every((c) => c.params.timestamps.kind === 'tie')).toBe(true);
      expect(plan.cells.map((c) => c.server.paxosVariant)).toEqual(versions.map((v) => (v.startsWith('4.0') ? 'v1' : 'v2')));
    }
    const plan = await load('versions.yaml');
    expect(plan.varying).toEqual(['recipe', 'cassandra_version', 'ttl_s']);
    expect(new Set(plan.cells.map((c) => c.params.recipe))).toEqual(new Set(['lwt-ttl-plain-release', 'lwt']));
  });

  // The acceptance runs, kept so anyone can replay them with `lockstorm run`.
  it.each(readdirSync(resolve(CONFIGS, 'acceptance')))('acceptance/%s loads into cells with a nemesis', async (name) => {
    const plan = await load(`acceptance/${name}`);
    expect(plan.cells.length).toBeGreaterThan(0);
    expect(plan.cells.every((c) => c.params.nemesis !== null)).toBe(true);
  });
});
