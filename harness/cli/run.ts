// `lockstorm run CONFIG`: every cell of the config on one cluster, one results folder, one report.
// Exit 0 when every expectation is met, 1 when one is broken, 2 on bad input or a harness error,
// 130 when interrupted (histories kept, reports written for what ran).
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runFolderName } from '../report/run-folder.ts';
import { createProgress, isInteractive } from '../matrix/progress.ts';
import { escapeVisible } from '../report/escape.ts';
import { UserError } from '../core/errors.ts';

export const INTERRUPTED_EXIT = 130;

/** Bytes in one path component (NAME_MAX) and in a whole path (PATH_MAX) on Linux filesystems. */
const NAME_MAX = 255;
const PATH_MAX = 4095;

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir never returns for some paths that cannot
 * exist (a folder under /proc); one level at a time, the first that cannot be made says why.
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(dir); !(await stat(p).catch(() => null)); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((err: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: as good as made here.
      if (err.code !== 'EEXIST') throw err;
    });
  }
}

/**
 * Makes sure the run can write its folder before any cluster starts: `root` is (or becomes) a
 * writable folder, and the run folder and every history path in it fit the filesystem's limits.
 * Creates the run folder itself (the run then fills it). Every refusal is one line naming --results.
 */
export async function prepareRunFolder(root: string, runFolder: string, cellNames: readonly string[]): Promise<string> {
  const { cellHistoryPath } = await import('../report/results.ts');
  const { fsErrorLine } = await import('../report/write.ts');
  const fail = (why: string): UserError => new UserError(`--results: ${escapeVisible(root)}: ${why}`);
  const existing = await stat(root).catch(() => null);
  if (existing && !existing.isDirectory()) throw fail('is not a folder');
  for (const part of [runFolder, ...cellNames]) {
    const bytes = Buffer.byteLength(part);
    if (bytes > NAME_MAX) throw fail(`the name ${escapeVisible(part.slice(0, 40))}… would be ${bytes} bytes, more than the ${NAME_MAX} a file name may have (shorten the config's name)`);
  }
  const dir = join(root, runFolder);
  const longest = cellNames.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a), '');
  const deepest = join(resolve(dir), cellHistoryPath(longest));
  if (Buffer.byteLength(deepest) > PATH_MAX) throw fail(`a history path would be ${Buffer.byteLength(deepest)} bytes, more than the ${PATH_MAX} a path may have`);
  try {
    await makeFolders(dir);
    // mkdir succeeds for root on a folder it could not otherwise write to only on read-only mounts; write to be sure.
    const probe = join(dir, `.probe-${randomBytes(6).toString('hex')}`);
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe);
  } catch (err) {
    const line = fsErrorLine(`--results: ${root}`, err);
    if (line instanceof UserError) throw line;
    throw err;
  }
  return dir;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every cell of a config on one cluster and write results/<timestamp>-<name>/')
    .argument('<config>', 'run config (YAML), e.g. configs/demo.yaml')
    .option('--results <dir>', 'folder in which the run folder is created', 'results')
    .action(async (configPath: string, opts: { results: string }) => {
      // The config schema, the recipes and the results model load only when a run starts, not for --help.
      const { loadPlan } = await import('../config/index.ts');
      const { knownNames } = await import('../config/known.ts');
      const { resolveRecipes } = await import('../config/resolve-recipes.ts');
      const { exitCodeFor } = await import('../report/results.ts');
      const loaded = await loadPlan(configPath, knownNames());
      // User recipes are loaded (and refused, if bad) before any cluster starts.
      const recipes = await resolveRecipes(loaded.config, configPath);
      // Loaded only now: a bad config is reported without pulling in the container stack.
      const { runMatrix } = await import('../matrix/run-matrix.ts');
      const now = new Date();
      await prepareRunFolder(opts.results, runFolderName(loaded.plan.name, now), loaded.plan.cells.map((c) => c.params.name));
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
        const run = await runMatrix(loaded, { recipes, resultsRoot: opts.results, now, progress, signal: controller.signal, onClusterStarted: takeOverSignals });
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
