// configs/examples/byo.yaml, the external clients' showcase: it loads, it has one cell per lock
// form, the incident-shaped locks may be unsafe and every LWT one must be safe, and the files its
// commands name are where a checkout (after `lockstorm setup`) has them.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../config/index.ts';
import { knownNames } from '../../config/known.ts';
import { resolveRecipes } from '../../config/resolve-recipes.ts';

const BYO = resolve(import.meta.dirname, '../../../configs/examples/byo.yaml');

describe('configs/examples/byo.yaml', () => {
  it('runs a declarative recipe, a module recipe, the Python and Java clients and lwt under link cuts', async () => {
    const { plan, config } = await loadPlan(BYO, knownNames());
    expect(plan.cells.map((c) => [c.params.recipe, c.expectation])).toEqual([
      ['lwt', 'safe'],
      ['incident-yaml', 'unsafe-allowed'],
      ['lease-module', 'safe'],
      ['python-incident', 'unsafe-allowed'],
      ['python-lwt', 'safe'],
      ['java-incident', 'unsafe-allowed'],
      ['java-lwt', 'safe'],
    ]);
    expect(plan.cells.every((c) => c.params.nemesis?.faults.join() === 'reply-lost,link-down')).toBe(true);
    const catalog = await resolveRecipes(config, BYO);
    expect(['incident-yaml', 'lease-module', 'python-incident', 'java-lwt'].map((n) => catalog.get(n)?.kind)).toEqual(['file', 'module', 'command', 'command']);
    // The scripts and jar the commands name, relative to the config's folder (the children's cwd).
    for (const name of ['python-incident', 'python-lwt', 'java-incident', 'java-lwt']) {
      const r = catalog.get(name);
      if (r?.kind !== 'command') throw new Error(`${name} is not a command`);
      expect(r.cwd).toBe(dirname(BYO));
      const file = r.command.find((a) => a.endsWith('.py') || a.endsWith('.jar'))!;
      expect(file.endsWith('.jar') || existsSync(resolve(r.cwd, file))).toBe(true);
    }
  });
});
