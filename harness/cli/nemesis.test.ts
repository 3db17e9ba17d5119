// `lockstorm nemesis plan` as a user runs it: the real CLI in a child process.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFault, parseNemesisSpec, planPrefix } from '../nemesis/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), 'nemesis', 'plan', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lockstorm nemesis plan', () => {
  it('prints the windows runNemesis would play for that seed, with nominal start times', () => {
    const r = run('--seed', '9', '--faults', 'link,clock-skew', '--count', '6', '--on-s', '4', '--off-s', '2', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { window: number; startS: number });
    const expected = planPrefix(parseNemesisSpec({ faults: ['link', 'clock-skew'], onMs: 4000, offMs: 2000 }), 9, ['n1', 'n2', 'n3'], 6);
    expect(printed).toEqual(expected.map((f, i) => ({ window: i + 1, startS: 2 + 6 * i, ...describeFault(f) })));
  });

  it('names the flag in a one-line error, exit 2', () => {
    for (const [args, message] of [
      [['--seed', '1', '--faults', 'kill,flood'], '--faults: unknown fault "flood"'],
      [['--seed', '1', '--params', '{"maxSkew":1}'], '--params maxSkew: Unrecognized key: "maxSkew"'],
      [['--seed', '1', '--params', '{oops'], '--params: not valid JSON: {oops'],
      [['--seed', '-3'], '--seed: expected a whole number, got "-3"'],
      [['--seed', '1', '--on-s', '0'], '--on-s: expected a number of seconds above 0, got "0"'],
      [['--seed', '1', '--params', '{"latencyMs":0}'], '--params latencyMs: Too small'],
      [['--seed', '1', '--faults', ''], '--faults: name at least one fault'],
    ] as const) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toMatch(new RegExp(`^lockstorm: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });
});
