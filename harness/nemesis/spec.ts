// Validates a NemesisSpec (from the run config) into the settings the schedule needs. Family
// names ("link", "node", "partition", "clock") and "all" expand to their faults.

import { z } from 'zod';
import { UserError } from '../cli/errors.ts';
import type { NemesisSpec } from '../runner/cell-params.ts';
import { allFaultNames, familyNames, faultNamesByFamily, type FaultName } from './faults.ts';

const targetChoice = z.enum(['one', 'all', 'any']);

export const nemesisParamsSchema = z.strictObject({
  /** Link cuts hit one proxy, all proxies, or either (seeded, one:all = 2:1). */
  linkTargets: targetChoice.default('any'),
  /** Added one-way delay for `latency`; pick it above the client's per-operation timeout. */
  latencyMs: z.number().int().min(1).max(600_000).default(5_000),
  /** Which direction `reset` cuts: upstream (request lost) or downstream (reply lost). */
  resetStream: z.enum(['upstream', 'downstream', 'any']).default('any'),
  /** Skew one node, every node (each its own offset), or either. */
  skewTargets: targetChoice.default('any'),
  /** Largest absolute clock offset; offsets are whole multiples of 100 ms, never 0. */
  maxSkewMs: z.number().int().min(100).max(86_400_000).default(5_000),
  skewDirection: z.enum(['forward', 'backward', 'both']).default('both'),
});

export type NemesisParams = z.infer<typeof nemesisParamsSchema>;

export interface NemesisSettings {
  /** Distinct fault names, in the canonical order of `allFaultNames` (keeps plans stable). */
  faults: FaultName[];
  onMs: number;
  offMs: number;
  params: NemesisParams;
}

const aliases: Record<string, readonly FaultName[]> = {
  all: allFaultNames,
  ...Object.fromEntries(familyNames.map((f) => [f, faultNamesByFamily[f]])),
};

export function parseNemesisSpec(spec: NemesisSpec, field = 'nemesis'): NemesisSettings {
  if (!Array.isArray(spec.faults) || spec.faults.length === 0) {
    throw new UserError(`${field}.faults: name at least one fault (known: ${knownNames()})`);
  }
  const wanted = new Set<FaultName>();
  spec.faults.forEach((name, i) => {
    const expanded = aliases[name] ?? (allFaultNames.includes(name as FaultName) ? [name as FaultName] : null);
    if (!expanded) throw new UserError(`${field}.faults[${i}]: unknown fault "${name}" (known: ${knownNames()})`);
    expanded.forEach((f) => wanted.add(f));
  });
  for (const key of ['onMs', 'offMs'] as const) {
    const v = spec[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'onMs' && v === 0)) {
      throw new UserError(`${field}.${key}: must be a number of milliseconds${key === 'onMs' ? ' above 0' : ''}, got ${String(v)}`);
    }
  }
  const parsed = nemesisParamsSchema.safeParse(spec.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `.${issue.path.join('.')}` : '';
    const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(',')}` : '';
    throw new UserError(`${field}.params${where}${keys}: ${issue.message}`);
  }
  return {
    faults: allFaultNames.filter((f) => wanted.has(f)),
    onMs: Math.round(spec.onMs),
    offMs: Math.round(spec.offMs),
    params: parsed.data,
  };
}

/** Every name `nemesis.faults` accepts: `all`, the family names, and each fault. */
export const knownFaultNames: readonly string[] = [...Object.keys(aliases), ...allFaultNames];

function knownNames(): string {
  return knownFaultNames.join(', ');
}
