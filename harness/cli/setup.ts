// `lockstorm setup`: everything a cluster needs before it can start, idempotent: a Docker engine
// (installed from Debian packages and started when none answers) and the images from docker/.
import type { Command } from 'commander';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('make sure a Docker engine runs and the lockstorm images are built (only what is missing)')
    .action(async () => {
      const { ensureEngine } = await import('../engine.ts');
      const { ensureImages } = await import('../images.ts');
      await ensureEngine();
      const images = await ensureImages();
      process.stdout.write(`engine ready; images ${images.cassandra} ${images.toxiproxy}\n`);
    });
}
