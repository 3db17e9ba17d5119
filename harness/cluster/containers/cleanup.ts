// Without Ryuk nobody else removes what lockstorm starts. Resources a process owns are removed
// when it exits normally, on an uncaught error, and on Ctrl-C / SIGTERM; `cleanAll` removes
// everything labelled lockstorm (after a crash, or a `cluster up` left running).
import { spawnSync } from 'node:child_process';
import { LABEL } from './layout.ts';
import { docker } from './runtime.ts';

interface Owned {
  containers: Set<string>;
  networks: Set<string>;
}

const owned: Owned = { containers: new Set(), networks: new Set() };
let hooksInstalled = false;

/** Synchronous on purpose: an 'exit' handler cannot wait for promises. */
function removeOwnedSync(): void {
  if (owned.containers.size > 0) spawnSync('docker', ['rm', '-f', '-v', ...owned.containers], { stdio: 'ignore' });
  if (owned.networks.size > 0) spawnSync('docker', ['network', 'rm', ...owned.networks], { stdio: 'ignore' });
  owned.containers.clear();
  owned.networks.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeOwnedSync();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Die of the same signal, as the default handler would have.
  process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', removeOwnedSync);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Marks containers/networks (names or ids) as this process's to remove when it ends. */
export function own(kind: keyof Owned, ...ids: string[]): void {
  installHooks();
  for (const id of ids) owned[kind].add(id);
}

/** Hands resources over to the user (`cluster up`): this process no longer removes them. */
export function disown(kind: keyof Owned, ...ids: string[]): void {
  for (const id of ids) owned[kind].delete(id);
}

export interface CleanCounts {
  containers: number;
  networks: number;
  volumes: number;
}

/** Removes every container, network and volume carrying the lockstorm label. */
export async function cleanAll(): Promise<CleanCounts> {
  const d = await docker();
  const filters = { label: [`${LABEL}=true`] };
  const containers = await d.listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => d.getContainer(c.Id).remove({ force: true, v: true })));
  const networks = await d.listNetworks({ filters });
  for (const n of networks) await d.getNetwork(n.Id).remove();
  const { Volumes: volumes } = await d.listVolumes({ filters });
  for (const v of volumes ?? []) await d.getVolume(v.Name).remove();
  for (const c of containers) owned.containers.delete(c.Id);
  return { containers: containers.length, networks: networks.length, volumes: (volumes ?? []).length };
}
