// Validates a nemesis mix (fault names, timing, params) into the settings the schedule needs.
// Problems come back as data, a path inside the mix and a message; callers word them for their
// own input (a config field, a CLI flag).

import { UserError } from '../core/errors.ts';
import type { NemesisSpec } from '../core/cell.ts';
import type { Catalog } from './catalog.ts';

export interface NemesisIssue {
  /** Inside the mix, e.g. ["faults", 1] or ["params", "maxSkewMs"]. */
  path: (string | number)[];
  message: string;
}

/** A mix as a config's `nemeses.<name>` or a NemesisSpec has it; timing is checked when given. */
export interface NemesisMix {
  faults: unknown;
  params?: unknown;
  onMs?: unknown;
  offMs?: unknown;
}

export interface NemesisSettings {
  /** Distinct fault names, in the catalog's canonical order (keeps plans stable). */
  faults: string[];
  onMs: number;
  offMs: number;
  params: Record<string, unknown>;
}

export function validateMix(catalog: Catalog, mix: NemesisMix): NemesisIssue[] {
  const issues: NemesisIssue[] = [];
  const known = [...catalog.aliases.keys()].join(', ');
  if (!Array.isArray(mix.faults) || mix.faults.length === 0) {
    issues.push({ path: ['faults'], message: `name at least one fault (known: ${known})` });
  } else {
    mix.faults.forEach((name: unknown, i) => {
      if (typeof name !== 'string' || !catalog.aliases.has(name)) {
        issues.push({ path: ['faults', i], message: `unknown fault ${JSON.stringify(name)} (known: ${known})` });
      }
    });
  }
  for (const key of ['onMs', 'offMs'] as const) {
    if (!(key in mix)) continue;
    const v = mix[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'onMs' && v === 0)) {
      issues.push({ path: [key], message: `must be a number of milliseconds${key === 'onMs' ? ' above 0' : ''}, got ${String(v)}` });
    }
  }
  const parsed = catalog.paramsSchema.safeParse(mix.params ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = ['params', ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push({ path: [...at, key], message: `Unrecognized key: "${key}"` });
      } else {
        issues.push({ path: at, message: issue.message });
      }
    }
  }
  return issues;
}

/** `nemesis.faults[1]`, `nemesis.params.maxSkewMs`: where an issue sits, under `field`. */
export function issuePath(field: string, path: readonly (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : `${out}.${p}`), field);
}

/** The settings a valid spec gives; a UserError naming the first problem under `field` otherwise. */
export function parseSpec(catalog: Catalog, spec: NemesisSpec, field: string): NemesisSettings {
  const [first] = validateMix(catalog, spec);
  if (first) throw new UserError(`${issuePath(field, first.path)}: ${first.message}`);
  const wanted = new Set(spec.faults.flatMap((name) => catalog.aliases.get(name) ?? []));
  return {
    faults: catalog.faultNames.filter((f) => wanted.has(f)),
    onMs: Math.round(spec.onMs),
    offMs: Math.round(spec.offMs),
    params: catalog.paramsSchema.parse(spec.params ?? {}) as Record<string, unknown>,
  };
}
