// The guarded record and fencing settings: defaults that leave existing configs as they were, the
// fencing axis, and the combinations refused with one line naming the field.
import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { loadPlan, planFromText } from './index.ts';
import { knownNames } from './known.ts';

const known = knownNames();
const base = 'name: f\nduration_s: 30\n';

function errorOf(text: string): string {
  try {
    planFromText(text, 'bad.yaml', known);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    const message = (err as UserError).message;
    expect(message).not.toMatch(/[\n\r]/);
    return message;
  }
  throw new Error('expected the config to be rejected');
}

describe('guarded and fencing settings', () => {
  it('are off unless asked for, so existing configs keep their cells', () => {
    const plan = planFromText(`${base}recipe: lwt\n`, 'ok.yaml', known).plan;
    expect(plan.cells[0]!.params.guarded).toBeUndefined();
    expect(plan.cells[0]!.params.fencing).toBeUndefined();
    expect(plan.cells[0]!.params.name).toBe('lwt');
  });

  it('make a fencing axis with a cell for each value', () => {
    const plan = planFromText(`${base}recipe: lwt\nguarded: on\nmatrix:\n  fencing: [off, on]\n`, 'ok.yaml', known).plan;
    expect(plan.cells.map((c) => [c.params.name, c.params.guarded, c.params.fencing ?? false])).toEqual([
      ['lwt_fencing-off', true, false],
      ['lwt_fencing-on', true, true],
    ]);
  });

  it('fencing on without the guarded record', () => {
    expect(errorOf(`${base}recipe: lwt\nfencing: on\n`)).toBe('bad.yaml: fencing: "on" needs guarded: on (fencing tokens protect the guarded record)');
    expect(errorOf(`${base}recipe: lwt\nmatrix:\n  fencing: [off, on]\n`)).toMatch(/^bad\.yaml: matrix\.fencing\[1\]: "on" needs guarded: on/);
  });

  it('fencing on for a recipe without a sound fencing token', () => {
    expect(errorOf(`${base}recipe: lwt\nguarded: on\nfencing: on\nmatrix:\n  recipe: [lwt, write-then-delete]\n`)).toMatch(
      /^bad\.yaml: matrix\.recipe\[1\]: "write-then-delete" has no sound fencing token, so fencing: on is refused for it \(recipes with one: .*lwt/,
    );
  });

  it('a value other than on or off', () => {
    expect(errorOf(`${base}recipe: lwt\nguarded: yes\n`)).toBe('bad.yaml: guarded: "yes" is not one of off, on');
    expect(errorOf(`${base}recipe: lwt\nguarded: true\n`)).toMatch(/^bad\.yaml: guarded: /);
  });

  it('configs/fencing.yaml: lwt and an incident recipe, fencing off and on, pauses outliving the lease', async () => {
    const { plan } = await loadPlan(new URL('../../configs/fencing.yaml', import.meta.url).pathname, known);
    expect(plan.cells.map((c) => c.params.name)).toEqual([
      'lwt_fencing-off',
      'lwt_fencing-on',
      'lwt-ttl-plain-release_fencing-off',
      'lwt-ttl-plain-release_fencing-on',
    ]);
    for (const c of plan.cells) {
      expect(c.params.guarded).toBe(true);
      expect(c.params.nemesis!.faults).toContain('client-pause');
      // A pause shorter than the TTL plus the expiry granularity proves nothing about leases.
      expect(c.params.nemesis!.onMs).toBeGreaterThan((c.params.ttlSeconds + 1) * 1000);
    }
  });
});
