// The nemesis: seeded fault windows (off, on, off, on, ...) until the run is aborted, then heal
// everything and prove it is healed. A cluster that cannot be healed fails loudly rather than
// contaminating the next cell. The list below is the only place that names the fault families.

import { UserError } from '../core/errors.ts';
import type { Capabilities, CapabilityName, Cluster, NodeName } from '../cluster/cluster.ts';
import type { JsonValue } from '../../history/index.ts';
import type { NemesisSpec } from '../core/cell.ts';
import { catalogOf, type Catalog } from './catalog.ts';
import { clientPauseFamily, type ClientPauseFault } from './client-pause.ts';
import { clockFamily, type ClockFault } from './clock.ts';
import { errorText, type AnyFaultFamily, type FaultBase } from './family.ts';
import { linkFamily, type LinkFault } from './link.ts';
import { nodeFamily, type NodeFault } from './node.ts';
import { partitionFamily, type PartitionFault } from './partition.ts';
import * as schedule from './schedule.ts';
import { parseSpec, validateMix, type NemesisIssue, type NemesisMix, type NemesisSettings } from './spec.ts';

/** Every fault family, in the order plans draw from (changing it changes recorded plans). */
const families: AnyFaultFamily[] = [linkFamily, nodeFamily, partitionFamily, clockFamily, clientPauseFamily];

let catalog: Catalog = catalogOf(families);

export type Fault = LinkFault | NodeFault | PartitionFault | ClockFault | ClientPauseFault;
export type { FaultBase, FaultFamily } from './family.ts';
export type { NemesisIssue, NemesisMix, NemesisSettings } from './spec.ts';
export { issuePath } from './spec.ts';

/** Adds a family that is not in the list above (tests, experiments), after the built-in ones. */
export function registerFaultFamily(family: AnyFaultFamily): void {
  const next = catalogOf([...families, family]);
  families.push(family);
  catalog = next;
}

/** Problems with a nemesis mix as {path, message} data; empty when it is valid. */
export function validateNemesisMix(mix: NemesisMix): NemesisIssue[] {
  return validateMix(catalog, mix);
}

/** The settings a valid spec gives; throws a UserError naming the first problem under `field`. */
export function parseNemesisSpec(spec: NemesisSpec, field = 'nemesis'): NemesisSettings {
  return parseSpec(catalog, spec, field);
}

/** Every name `nemesis.faults` accepts: `all`, the family names, and each fault. */
export function knownFaultNames(): string[] {
  return [...catalog.aliases.keys()];
}

/** Every fault name, in canonical order. */
export function faultNames(): string[] {
  return [...catalog.faultNames];
}

export function familyNames(): string[] {
  return catalog.families.map((f) => f.family);
}

/** Whether a fault (by its recorded name) moves node clocks; false for names no family has. */
export function movesClocks(faultName: string): boolean {
  return catalog.familyOf(faultName)?.movesClocks ?? false;
}

/** Whether undoing a fault (by its recorded name) can release what it held back; true for names no family has. */
export function holdsBack(faultName: string): boolean {
  return catalog.familyOf(faultName)?.holdsBack ?? true;
}

export function planFaults(settings: NemesisSettings, seed: number, nodes: readonly NodeName[]): Generator<Fault> {
  return schedule.planFaults(catalog, settings, seed, nodes) as Generator<Fault>;
}

/** The first `count` faults of the plan, e.g. to print or compare. */
export function planPrefix(settings: NemesisSettings, seed: number, nodes: readonly NodeName[], count: number): Fault[] {
  const out: Fault[] = [];
  for (const fault of planFaults(settings, seed, nodes)) {
    if (out.length >= count) break;
    out.push(fault);
  }
  return out;
}

export function describeFault(fault: FaultBase): { fault: string; targets: string[]; detail: Record<string, JsonValue> } {
  return schedule.describeFault(catalog, fault);
}

/** Each fault `names` stand for (aliases expanded), with the capability it needs; unknown names are skipped. */
export function faultNeeds(names: readonly string[]): Array<{ fault: string; needs: CapabilityName }> {
  const wanted = new Set(names.flatMap((n) => catalog.aliases.get(n) ?? []));
  return catalog.faultNames.filter((f) => wanted.has(f)).map((fault) => ({ fault, needs: catalog.familyOf(fault)!.needs }));
}

/** The faults in `faults` whose capability this cluster lacks, with the capability each needs. */
export function unsupportedFaults(cluster: Cluster, faults: readonly string[]): Array<{ fault: string; needs: CapabilityName }> {
  return faults.flatMap((fault) => {
    const family = catalog.familyOf(fault);
    return family && !cluster.capabilities[family.needs] ? [{ fault, needs: family.needs }] : [];
  });
}

export type NemesisRecord = (e: {
  phase: 'start' | 'stop';
  fault: string;
  targets: string[];
  detail?: Record<string, JsonValue>;
}) => void;

function familyFor(fault: FaultBase): AnyFaultFamily {
  const family = catalog.familyOf(fault.name);
  if (!family) throw new Error(`unknown fault ${fault.name}`);
  return family;
}

export class NemesisHealError extends Error {
  constructor(readonly problems: string[]) {
    super(`nemesis could not heal the cluster: ${problems.join('; ')}`);
    this.name = 'NemesisHealError';
  }
}

export const HEALTHY_TIMEOUT_MS = 240_000;

/**
 * The cluster as the nemesis sees it, with capabilities the runner provides added (the lock
 * clients, which no provider has). The cluster's own members and methods are untouched.
 */
export function withRunnerCapabilities(cluster: Cluster, extra: Pick<Capabilities, 'clients'>): Cluster {
  const capabilities: Capabilities = { ...cluster.capabilities, ...extra };
  // Methods run on the provider's own object, so its private state stays reachable.
  return new Proxy(cluster, {
    get(target, prop) {
      if (prop === 'capabilities') return capabilities;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function runNemesis(
  cluster: Cluster,
  spec: NemesisSpec,
  seed: number,
  record: NemesisRecord,
  signal: AbortSignal,
  onUndone?: () => void,
): Promise<void> {
  const settings = parseNemesisSpec(spec);
  const missing = unsupportedFaults(cluster, settings.faults);
  if (missing.length > 0) {
    const list = missing.map((m) => `${m.fault} (needs ${m.needs})`).join(', ');
    throw new UserError(`nemesis: the ${cluster.provider} cluster cannot run ${list}`);
  }
  const plan = planFaults(settings, seed, cluster.nodes.map((n) => n.name));
  let failure: unknown = null;
  try {
    while (await sleep(settings.offMs, signal)) {
      const fault = plan.next().value as Fault;
      await window(cluster, fault, settings.onMs, record, signal);
    }
  } catch (err) {
    failure = err;
  }
  try {
    await healAll(cluster, HEALTHY_TIMEOUT_MS, onUndone);
  } catch (healErr) {
    if (failure) throw new Error(`${errorText(failure)}; and then ${errorText(healErr)}`, { cause: failure });
    throw healErr;
  }
  if (failure) throw failure;
}

/** One fault window: record, start, hold for `onMs` (less if aborted), stop, record. */
async function window(cluster: Cluster, fault: FaultBase, onMs: number, record: NemesisRecord, signal: AbortSignal): Promise<void> {
  const family = familyFor(fault);
  const described = describeFault(fault);
  // Recorded before it is applied and after it is undone: the window covers every moment
  // the fault could have had an effect.
  record({ phase: 'start', ...described });
  try {
    await family.start(cluster, fault);
  } catch (err) {
    await family.stop(cluster, fault).catch(() => undefined);
    record({ phase: 'stop', ...described, detail: { ...described.detail, error: `start failed: ${errorText(err)}` } });
    throw new Error(`nemesis could not start ${described.fault} on ${described.targets.join(',')}: ${errorText(err)}`, { cause: err });
  }
  const full = await sleep(onMs, signal);
  const extra: Record<string, JsonValue> = full ? {} : { cutShort: true };
  try {
    await family.stop(cluster, fault);
  } catch (err) {
    // The final heal still gets its chance; if that also fails the run fails loudly.
    extra.error = `stop failed: ${errorText(err)}`;
    record({ phase: 'stop', ...described, detail: { ...described.detail, ...extra } });
    await healAll(cluster);
    return;
  }
  record({ phase: 'stop', ...described, detail: { ...described.detail, ...extra } });
}

/**
 * Undo every fault any family can leave behind (also after a crash: it keeps no state), wait
 * until the cluster is healthy, and verify: all nodes UN with CQL answering through every proxy,
 * and every family's own check clean. Families whose capability the cluster lacks can have left
 * nothing behind and are skipped. Throws NemesisHealError listing what is still wrong after a
 * second attempt. `onUndone` is called as each attempt has undone every fault, before it waits
 * for health: from then on nothing a fault held back is still on its way.
 */
export async function healAll(cluster: Cluster, timeoutMs = HEALTHY_TIMEOUT_MS, onUndone?: () => void): Promise<void> {
  const order = catalog.healOrder.filter((f) => cluster.capabilities[f.needs]);
  let problems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    problems = [];
    for (const family of order) {
      await family.heal(cluster).catch((err: unknown) => problems.push(`${family.family} heal failed: ${errorText(err)}`));
    }
    onUndone?.();
    await cluster.waitHealthy(timeoutMs).catch((err: unknown) => problems.push(`cluster not healthy: ${errorText(err)}`));
    for (const family of order) {
      const found = await family.problems(cluster).catch((err: unknown) => [`${family.family} check failed: ${errorText(err)}`]);
      problems.push(...found);
    }
    if (problems.length === 0) return;
  }
  throw new NemesisHealError(problems);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
