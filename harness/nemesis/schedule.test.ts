import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UserError } from '../core/errors.ts';
import { dropsByNode } from './partition.ts';
import { describeFault, faultNames, parseNemesisSpec, planPrefix, validateNemesisMix, type Fault } from './index.ts';

const nodes = ['n1', 'n2', 'n3'];
const everything = parseNemesisSpec({ faults: ['all'], onMs: 10_000, offMs: 10_000 });

describe('nemesis schedule', () => {
  it('replays the same plan from the same seed, and a different one from another seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = planPrefix(everything, seed, nodes, 40);
        expect(planPrefix(everything, seed, nodes, 40)).toEqual(a);
        expect(planPrefix(everything, seed + 1, nodes, 40)).not.toEqual(a);
      }),
      { numRuns: 50 },
    );
  });

  it('pins the plan for seed 42 so a change to the generator is noticed (recorded schedules must replay)', () => {
    const plan = planPrefix(everything, 42, nodes, 6).map((f) => `${f.name}@${f.targets.join('+')}`);
    expect(plan).toMatchInlineSnapshot(`
      [
        "pause@n2",
        "partition-bridge@n2",
        "kill@n1",
        "restart@n3",
        "kill@n1",
        "partition-bridge@n2",
      ]
    `);
  });

  it('uses every named fault and only those', () => {
    const plan = planPrefix(everything, 7, nodes, 500);
    // `all` leaves out client-pause, which acts on the runner's clients and is named on its own.
    expect(new Set(plan.map((f) => f.name))).toEqual(new Set(faultNames().filter((f) => f !== 'client-pause')));
    const onlyLink = parseNemesisSpec({ faults: ['reply-lost', 'link-down'], onMs: 1, offMs: 1 });
    expect(new Set(planPrefix(onlyLink, 7, nodes, 200).map((f) => f.name))).toEqual(new Set(['reply-lost', 'link-down']));
  });

  it('builds well-formed faults: targets are nodes, partitions cut across their groups, skews within bounds', () => {
    const settings = parseNemesisSpec({ faults: ['all'], onMs: 1, offMs: 1, params: { maxSkewMs: 1_500, skewDirection: 'forward' } });
    for (const fault of planPrefix(settings, 3, nodes, 500)) {
      expect(fault.targets.length).toBeGreaterThan(0);
      for (const t of fault.targets) expect(nodes).toContain(t);
      checkFault(fault);
    }
  });

  it('records a fault as name, targets and JSON detail', () => {
    const fault: Fault = { family: 'link', name: 'latency', targets: ['n2'], latencyMs: 5000 };
    expect(describeFault(fault)).toEqual({ fault: 'latency', targets: ['n2'], detail: { family: 'link', latencyMs: 5000 } });
  });
});

function checkFault(fault: Fault): void {
  if (fault.family === 'partition') {
    const drops = dropsByNode(fault);
    for (const [a, b] of fault.cuts) {
      expect(a).not.toBe(b);
      expect(drops.get(a)).toContain(b);
      expect(drops.get(b)).toContain(a);
      // A cut never joins two members of the same side.
      expect(fault.groups.some((g) => g.includes(a) && g.includes(b))).toBe(false);
    }
    if (fault.name === 'partition-bridge') {
      const [bridge] = fault.targets;
      expect(fault.cuts.some((c) => c.includes(bridge!))).toBe(false);
      expect(fault.cuts).toHaveLength(1);
    } else {
      expect(fault.cuts).toHaveLength(2);
    }
  }
  if (fault.family === 'clock') {
    for (const node of fault.targets) {
      const ms = fault.offsetsMs[node]!;
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThanOrEqual(1_500);
      expect(ms % 100).toBe(0);
    }
  }
}

describe('nemesis spec', () => {
  it('expands families and rejects unknown names, fields and values with the field named', () => {
    expect(parseNemesisSpec({ faults: ['node', 'clock-skew'], onMs: 5, offMs: 0 }).faults).toEqual(['kill', 'pause', 'restart', 'clock-skew']);
    expect(() => parseNemesisSpec({ faults: ['kill', 'flood'], onMs: 5, offMs: 5 })).toThrow(/^nemesis\.faults\[1\]: unknown fault "flood"/);
    expect(() => parseNemesisSpec({ faults: [], onMs: 5, offMs: 5 })).toThrow(UserError);
    expect(() => parseNemesisSpec({ faults: ['kill'], onMs: 0, offMs: 5 })).toThrow(/^nemesis\.onMs:/);
    expect(() => parseNemesisSpec({ faults: ['kill'], onMs: 5, offMs: 5, params: { latencyMS: 3 } })).toThrow(/^nemesis\.params\.latencyMS:/);
    expect(() => parseNemesisSpec({ faults: ['kill'], onMs: 5, offMs: 5, params: { maxSkewMs: 50 } })).toThrow(/^nemesis\.params\.maxSkewMs:/);
  });
});

describe('validateNemesisMix', () => {
  it('returns every problem as a path inside the mix and a message, no formatted text', () => {
    expect(validateNemesisMix({ faults: ['kill', 'partition'] })).toEqual([]);
    expect(validateNemesisMix({ faults: ['kill', 'flood', 3], onMs: 0, params: { maxSkewMs: 50, latencyMS: 3, nope: 1 } })).toEqual([
      { path: ['faults', 1], message: expect.stringMatching(/^unknown fault "flood" \(known: all, link, node, partition, clock, client, reply-lost, /) },
      { path: ['faults', 2], message: expect.stringMatching(/^unknown fault 3 /) },
      { path: ['onMs'], message: 'must be a number of milliseconds above 0, got 0' },
      { path: ['params', 'maxSkewMs'], message: expect.stringMatching(/>=\s*100/) },
      { path: ['params', 'latencyMS'], message: 'Unrecognized key: "latencyMS"' },
      { path: ['params', 'nope'], message: 'Unrecognized key: "nope"' },
    ]);
    expect(validateNemesisMix({ faults: [] })).toEqual([{ path: ['faults'], message: expect.stringMatching(/^name at least one fault/) }]);
  });

  it('accepts a config\'s nemeses entry as written (snake_case timing is the schema\'s job)', () => {
    expect(validateNemesisMix({ faults: ['clock-skew'], params: { skewDirection: 'forward' }, on_s: 5, off_s: 5 } as never)).toEqual([]);
  });
});
