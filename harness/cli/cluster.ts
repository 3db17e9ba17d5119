// `lockstorm cluster up | status [--json] | down`: a cluster that outlives the command, found
// again through its containers' labels.
import type { Command } from 'commander';
import type { ServerSettings } from '../cluster/cluster.ts';
import { DEFAULT_SETTINGS, resolveSettings } from '../cluster/settings.ts';
import { UserError } from '../core/errors.ts';

/** The settings `cluster up` starts with: the run config's defaults, `--paxos` overriding its own. */
export function clusterUpSettings(opts: { paxos?: string }): ServerSettings {
  const paxos = opts.paxos ?? DEFAULT_SETTINGS.paxosVariant;
  if (paxos !== 'v1' && paxos !== 'v2') throw new UserError(`--paxos must be v1 or v2, not "${paxos}"`);
  return resolveSettings({ paxosVariant: paxos });
}

/** `--lab`: which lab to start (only `ssh`: an SSH server in every node), or none. */
export function clusterUpLab(lab: string | undefined): 'ssh' | undefined {
  if (lab === undefined) return undefined;
  if (lab !== 'ssh') throw new UserError(`--lab must be ssh, not "${lab}"`);
  return lab;
}

export function registerCluster(program: Command): void {
  const cluster = program.command('cluster').description('a three-node Cassandra 5.0 cluster behind Toxiproxy, left running');

  cluster
    .command('up')
    .description('start the cluster (builds images and starts a Docker engine when needed) and leave it running')
    .option('--paxos <variant>', 'paxos_variant: v1 or v2', DEFAULT_SETTINGS.paxosVariant)
    .option('--lab <kind>', 'ssh: an SSH server in every node, for the ssh provider (configs/ssh-lab.yaml)')
    .action(async (opts: { paxos?: string; lab?: string }) => {
      const settings = clusterUpSettings(opts);
      const lab = clusterUpLab(opts.lab);
      const { startCluster } = await import('../cluster/index.ts');
      const t0 = Date.now();
      const c = await startCluster(settings, { keepAfterExit: true, verbose: true, ...(lab ? { lab } : {}) }).catch(
        (err: unknown) => {
          // Anything but a UserError here is the environment failing (a node that never came up):
          // one line, and the containers are already removed.
          if (err instanceof UserError) throw err;
          throw new UserError(`cluster up failed: ${(err as Error).message.split('\n')[0]}`, 1);
        },
      );
      process.stdout.write(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      for (const p of c.proxies) process.stdout.write(`  ${p.name}  ${p.upstream.padEnd(18)} via proxy ${p.listen}\n`);
      for (const [what, where] of Object.entries(c.extras ?? {})) process.stdout.write(`  ${what} ${where}\n`);
    });

  cluster
    .command('status')
    .description('node states (UN/DN) as the nodes see them, and the proxies in front of them')
    .option('--json', 'print {"nodes":[…],"proxies":[…]} only')
    .action(async (opts: { json?: boolean }) => {
      const { clusterStatus } = await import('../cluster/index.ts');
      const status = await clusterStatus();
      if (!status) throw new UserError('no lockstorm cluster is running (start one with `lockstorm cluster up`)', 1);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(status)}\n`);
        return;
      }
      for (const n of status.nodes) process.stdout.write(`${n.state}  ${n.name}  ${n.address}\n`);
      for (const p of status.proxies) {
        process.stdout.write(`proxy ${p.name}  ${p.listen} -> ${p.upstream}  ${p.enabled ? 'enabled' : 'DISABLED'}\n`);
      }
    });

  cluster
    .command('down')
    .description('remove the cluster: its containers and network')
    .action(async () => {
      const { cleanAll } = await import('../cluster/index.ts');
      const removed = await cleanAll();
      process.stdout.write(
        removed.containers + removed.networks === 0 ? 'no lockstorm cluster was running\n' : `removed ${removed.containers} containers, ${removed.networks} networks\n`,
      );
    });
}
