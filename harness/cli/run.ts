// `lockstorm run CONFIG`: every cell of the config on one cluster, one results folder, one report.
// Exit 0 when every expectation is met, 1 when one is broken, 2 on bad input or a harness error,
// 130 when interrupted (histories kept, reports written for what ran).
import type { Command } from 'commander';
import { loadPlan } from '../config/index.ts';
import { knownNames } from '../config/known.ts';
import { createProgress, isInteractive } from '../matrix/progress.ts';
import { exitCodeFor } from '../report/results.ts';

export const INTERRUPTED_EXIT = 130;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every cell of a config on one cluster and write results/<timestamp>-<name>/')
    .argument('<config>', 'run config (YAML), e.g. configs/demo.yaml')
    .option('--results <dir>', 'folder in which the run folder is created', 'results')
    .action(async (configPath: string, opts: { results: string }) => {
      const loaded = await loadPlan(configPath, knownNames());
      // Loaded only now: a bad config is reported without pulling in the container stack.
      const { runMatrix } = await import('../matrix/run-matrix.ts');
      const progress = createProgress(process.stderr, isInteractive(process.stderr, process.env));
      const controller = new AbortController();
      const onSigint = (): void => {
        if (controller.signal.aborted) {
          progress.note('lockstorm: interrupted again; exiting now (run `lockstorm clean` to remove containers)');
          process.exit(INTERRUPTED_EXIT);
        }
        progress.note('lockstorm: interrupted; stopping the cell, healing and tearing down (Ctrl-C again to force)');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      // The cluster module's own signal hook removes containers and exits at once; during a run,
      // Ctrl-C must instead stop the cell, heal, keep the history and write the reports. Its
      // exit hook stays, so whatever is left is still removed when the process ends.
      const takeOverSignals = (): void => {
        for (const sig of ['SIGINT', 'SIGTERM'] as const) {
          for (const l of process.listeners(sig)) if (l !== onSigint) process.off(sig, l as (s: NodeJS.Signals) => void);
        }
      };
      try {
        const run = await runMatrix(loaded, { resultsRoot: opts.results, progress, signal: controller.signal, onClusterStarted: takeOverSignals });
        const met = run.results.cells.filter((c) => c.met).length;
        process.stdout.write(`${met} of ${run.results.cells.length} expectations met\nreport: ${run.report}\n`);
        process.exitCode = run.interrupted ? INTERRUPTED_EXIT : exitCodeFor(run.results);
        // Everything is written and torn down. A driver client whose shutdown timed out under a
        // fault keeps reconnect timers alive forever; do not let it hold the command open.
        setTimeout(() => process.exit(), 2000).unref();
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
      }
    });
}
