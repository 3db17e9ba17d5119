// Brings the SSH lab up for a run whose config says `cluster.lab: ssh`, unless one already runs
// (`lockstorm cluster up --lab ssh`), which is then left running. The run's faults never come here:
// they go through the ssh provider, over SSH.
import type { ServerSettings } from '../cluster.ts';
import { LABEL } from './layout.ts';
import { docker } from './runtime.ts';
import { LAB_LABEL } from './ssh-lab.ts';
import { startContainerCluster } from './start.ts';

export interface RunningLab {
  /** Whether this process started it (and so removes it). */
  started: boolean;
  release(): Promise<void>;
}

export async function labRunning(): Promise<boolean> {
  const d = await docker();
  const nodes = await d.listContainers({ filters: { label: [`${LABEL}=true`, `${LAB_LABEL}=ssh`], status: ['running'] } });
  return nodes.length > 0;
}

export async function ensureSshLab(settings: ServerSettings, verbose = false): Promise<RunningLab> {
  if (await labRunning()) return { started: false, release: async () => {} };
  const lab = await startContainerCluster(settings, { lab: 'ssh', verbose });
  return { started: true, release: () => lab.teardown() };
}
