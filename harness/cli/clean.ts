// `lockstorm clean`: remove every container, network and volume lockstorm created (they carry
// the label lockstorm=true), also after a crash. Images are kept: they are the build cache.
import type { Command } from 'commander';

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('remove every container, network and volume labelled lockstorm (keeps images)')
    .action(async () => {
      const { cleanAll } = await import('../cluster/index.ts');
      const r = await cleanAll();
      process.stdout.write(`removed ${r.containers} containers, ${r.networks} networks, ${r.volumes} volumes\n`);
    });
}
