// `lockstorm setup`: everything a cluster needs before it can start, idempotent: a Docker engine
// (installed from Debian packages and started when none answers), the images from docker/, and
// the example external clients (a Python virtualenv, a Maven build).
import type { Command } from 'commander';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('make sure a Docker engine runs, the lockstorm images are built and the example clients are ready (only what is missing)')
    .action(async () => {
      const { DEFAULT_PROVIDER, providerNamed } = await import('../cluster/index.ts');
      const ready = await providerNamed(DEFAULT_PROVIDER).prepare?.();
      process.stdout.write(`${ready ?? `the ${DEFAULT_PROVIDER} provider needs no set-up`}\n`);
      // The example external clients (docs/clients.md): their tests and configs/examples/byo.yaml run them.
      const { prepareExampleClients } = await import('./example-clients.ts');
      for (const line of prepareExampleClients()) process.stdout.write(`${line}\n`);
    });
}
