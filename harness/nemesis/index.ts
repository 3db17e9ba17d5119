// The nemesis: seeded fault windows (off, on, off, on, ...) until the run is aborted, then heal
// everything and prove it is healed. A cluster that cannot be healed fails loudly rather than
// contaminating the next cell.

import type { Cluster } from '../cluster/cluster.ts';
import type { JsonValue } from '../history/events.ts';
import type { NemesisSpec } from '../runner/cell-params.ts';
import { clockFamily } from './clock.ts';
import { errorText, type FaultFamily } from './family.ts';
import type { Fault, FamilyName } from './faults.ts';
import { linkFamily } from './link.ts';
import { nodeFamily } from './node.ts';
import { partitionFamily } from './partition.ts';
import { describeFault, planFaults } from './schedule.ts';
import { parseNemesisSpec } from './spec.ts';

export { parseNemesisSpec, knownFaultNames } from './spec.ts';
export { planFaults, planPrefix, describeFault } from './schedule.ts';
export type { Fault, FaultName } from './faults.ts';

export type NemesisRecord = (e: {
  phase: 'start' | 'stop';
  fault: string;
  targets: string[];
  detail?: Record<string, JsonValue>;
}) => void;

const families: { [K in FamilyName]: FaultFamily<Extract<Fault, { family: K }>> } = {
  link: linkFamily,
  node: nodeFamily,
  partition: partitionFamily,
  clock: clockFamily,
};

/** Heal order: thaw and start nodes first (exec needs a running container), proxies last. */
const healOrder: FamilyName[] = ['node', 'partition', 'clock', 'link'];

function familyFor(fault: Fault): FaultFamily<Fault> {
  return families[fault.family] as FaultFamily<Fault>;
}

export class NemesisHealError extends Error {
  constructor(readonly problems: string[]) {
    super(`nemesis could not heal the cluster: ${problems.join('; ')}`);
    this.name = 'NemesisHealError';
  }
}

export const HEALTHY_TIMEOUT_MS = 240_000;

export async function runNemesis(
  cluster: Cluster,
  spec: NemesisSpec,
  seed: number,
  record: NemesisRecord,
  signal: AbortSignal,
): Promise<void> {
  const settings = parseNemesisSpec(spec);
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
    await healAll(cluster);
  } catch (healErr) {
    if (failure) throw new Error(`${errorText(failure)}; and then ${errorText(healErr)}`, { cause: failure });
    throw healErr;
  }
  if (failure) throw failure;
}

/** One fault window: record, start, hold for `onMs` (less if aborted), stop, record. */
async function window(cluster: Cluster, fault: Fault, onMs: number, record: NemesisRecord, signal: AbortSignal): Promise<void> {
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
 * every proxy enabled without toxics, every clock at "+0", no partition rules. Throws
 * NemesisHealError listing what is still wrong after a second attempt.
 */
export async function healAll(cluster: Cluster, timeoutMs = HEALTHY_TIMEOUT_MS): Promise<void> {
  let problems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    problems = [];
    for (const name of healOrder) {
      await families[name].heal(cluster).catch((err: unknown) => problems.push(`${name} heal failed: ${errorText(err)}`));
    }
    await cluster.waitHealthy(timeoutMs).catch((err: unknown) => problems.push(`cluster not healthy: ${errorText(err)}`));
    for (const name of healOrder) {
      const found = await families[name].problems(cluster).catch((err: unknown) => [`${name} check failed: ${errorText(err)}`]);
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
