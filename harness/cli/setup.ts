// `lockstorm setup`: everything a cluster needs before it can start, idempotent: a Docker engine
// (installed from Debian packages and started when none answers) and the images from docker/.
import type { Command } from 'commander';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('make sure a Docker engine runs and the lockstorm images are built (only what is missing)')
    .action(async () => {
      const { DEFAULT_PROVIDER, providerNamed } = await import('../cluster/index.ts');
      const ready = await providerNamed(DEFAULT_PROVIDER).prepare?.();
      process.stdout.write(`${ready ?? `the ${DEFAULT_PROVIDER} provider needs no set-up`}\n`);
    });
}
