// A validated config → the ordered list of cells to run. Pure: the same config always gives the
// same cells, names and order, which is what lets `lockstorm report DIR` rebuild a run later.
import type { ServerSettings } from '../cluster/cluster.ts';
import { defaultPaxosVariant } from '../cluster/settings.ts';
import { exactVersion } from '../cluster/versions.ts';
import type { CellParams, TimestampMode } from '../core/cell.ts';
import { AXES, type Axis, type Config, type Expectation } from './schema.ts';
import { PAXOS_BY_VERSION, axisValues, nemesisSpec } from './values.ts';

export interface PlannedCell {
  params: CellParams;
  /** Settings that live in cassandra.yaml: a change between cells means a cluster restart. */
  server: ServerSettings;
  expectation: Expectation;
  /** Every axis's value in this cell, as written in the config (for the report's grid). */
  axes: Record<Axis, string>;
}

export interface Plan {
  name: string;
  cells: PlannedCell[];
  /** Axes with more than one value, in AXES order: the report's grid uses the first two. */
  varying: Axis[];
}

export function parseTimestampMode(text: string): TimestampMode {
  if (text === 'server' || text === 'driver' || text === 'tie') return { kind: text };
  const skewed = /^skewed:([+-]?\d+)ms$/.exec(text);
  if (skewed) return { kind: 'skewed', offsetMs: Number(skewed[1]) };
  const quantized = /^quantized:(\d+)ms$/.exec(text);
  if (quantized) return { kind: 'quantized', unitMs: Number(quantized[1]) };
  throw new Error(`timestamp mode ${JSON.stringify(text)} passed validation but cannot be parsed`);
}

const SHORT: Record<Axis, (v: string) => string> = {
  recipe: (v) => v,
  cassandra_version: (v) => `cassandra-${v}`,
  write_cl: (v) => `w-${v}`,
  read_cl: (v) => `r-${v}`,
  serial_cl: (v) => `s-${v}`,
  paxos_variant: (v) => `paxos-${v}`,
  ttl_s: (v) => `ttl-${v}`,
  timestamps: (v) => `ts-${v.replace(':', '-')}`,
  nemesis: (v) => v,
  fencing: (v) => `fencing-${v}`,
};

/** Names are directory names under cells/, so only the characters the values themselves allow. */
function cellName(axes: Record<Axis, string>, varying: Axis[]): string {
  const parts = [axes.recipe, ...varying.filter((a) => a !== 'recipe').map((a) => SHORT[a](axes[a]))];
  return parts.join('_');
}

function cartesian(lists: (string | number)[][]): (string | number)[][] {
  return lists.reduce<(string | number)[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/**
 * Precedence: an entry for the cell's name; else `unsafe-allowed` if any of its axis values is
 * marked so (a broken recipe stays allowed to break at every CL); else `safe` if any is marked
 * safe; else the default.
 */
function expectationFor(config: Config, name: string, axes: Record<Axis, string>): Expectation {
  const byCell = config.expect.cells?.[name];
  if (byCell) return byCell;
  const marks = AXES.map((a) => config.expect[a]?.[axes[a]]).filter((m): m is Expectation => m !== undefined);
  if (marks.includes('unsafe-allowed')) return 'unsafe-allowed';
  if (marks.includes('safe')) return 'safe';
  return config.expect.default;
}

/** Equal exactly when two cells can share one running cluster (every field of ServerSettings counts). */
export function serverKey(s: ServerSettings): string {
  const yaml = Object.keys(s.yaml).sort().map((k) => [k, s.yaml[k]]);
  return JSON.stringify([s.cassandraVersion, s.paxosVariant, s.writeRequestTimeoutMs, s.readRequestTimeoutMs, s.casContentionTimeoutMs, yaml]);
}

export function expandConfig(config: Config): Plan {
  const values = AXES.map((axis) => axisValues(config, axis));
  const varying = AXES.filter((_, i) => values[i]!.length > 1);
  const cells = cartesian(values).map((combo): PlannedCell => {
    const axes = Object.fromEntries(AXES.map((a, i) => [a, String(combo[i])])) as Record<Axis, string>;
    const server = serverSettingsOf(config.cluster, {
      cassandraVersion: axes.cassandra_version,
      ...(axes.paxos_variant === PAXOS_BY_VERSION ? {} : { paxosVariant: axes.paxos_variant as ServerSettings['paxosVariant'] }),
    });
    // A variant left to the version is recorded as the one the cell ran with (never varying, so
    // it names no cell).
    axes.paxos_variant = server.paxosVariant;
    const name = cellName(axes, varying);
    const params: CellParams = {
      name,
      recipe: axes.recipe,
      writeCl: axes.write_cl as CellParams['writeCl'],
      readCl: axes.read_cl as CellParams['readCl'],
      serialCl: axes.serial_cl as CellParams['serialCl'],
      ttlSeconds: Number(axes.ttl_s),
      keys: config.keys,
      clients: config.clients,
      durationMs: Math.round(config.duration_s * 1000),
      opTimeoutMs: config.op_timeout_ms,
      seed: config.seed,
      timestamps: parseTimestampMode(axes.timestamps),
      nemesis: nemesisSpec(config, axes.nemesis),
      ...(config.guarded === 'on' ? { guarded: true } : {}),
      ...(axes.fencing === 'on' ? { fencing: true } : {}),
    };
    return { params, server, axes, expectation: expectationFor(config, name, axes) };
  });
  // Run cells that share server settings back to back: each change costs a cluster restart.
  const firstSeen = new Map<string, number>();
  cells.forEach((c, i) => {
    if (!firstSeen.has(serverKey(c.server))) firstSeen.set(serverKey(c.server), i);
  });
  const ordered = cells
    .map((c, i) => ({ c, i, group: firstSeen.get(serverKey(c.server))! }))
    .sort((a, b) => a.group - b.group || a.i - b.i)
    .map((x) => x.c);
  return { name: config.name, cells: ordered, varying };
}

/** `expect.cells` may only name cells that exist; checked after expansion, when names are known. */
export function unknownCellExpectation(config: Config, plan: Plan): string | null {
  const names = plan.cells.map((c) => c.params.name);
  for (const key of Object.keys(config.expect.cells ?? {})) {
    if (!names.includes(key)) return `expect.cells.${key}: ${JSON.stringify(key)} is not one of ${names.join(', ')}`;
  }
  return null;
}

/**
 * A validated config's `cluster:` block as the server settings it asks for; `overrides` are one
 * matrix cell's axis values (a version and a Paxos variant from `matrix:`).
 */
export function serverSettingsOf(
  cluster: Config['cluster'],
  overrides: { cassandraVersion?: string; paxosVariant?: ServerSettings['paxosVariant'] } = {},
): ServerSettings {
  const version = overrides.cassandraVersion ?? cluster.cassandra_version;
  return {
    cassandraVersion: exactVersion(version),
    paxosVariant: overrides.paxosVariant ?? cluster.paxos_variant ?? defaultPaxosVariant(version),
    writeRequestTimeoutMs: cluster.timeouts.write_ms,
    readRequestTimeoutMs: cluster.timeouts.read_ms,
    casContentionTimeoutMs: cluster.timeouts.cas_contention_ms,
    yaml: { ...cluster.settings },
  };
}
