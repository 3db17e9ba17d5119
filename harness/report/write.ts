// Writes a run's three outputs side by side. Each file is written whole to a fresh temporary file
// beside it and renamed over it, so an interrupted write never leaves a half report where a
// complete one was, and no output ever lands on a recorded history or the config.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { escapeVisible } from './escape.ts';
import { anomaliesOnPage, renderCellAnomalies, renderReport, type CellReportInput } from './html.ts';
import { renderJunit } from './junit.ts';
import { cellAnomaliesPath, type RunResults } from './results.ts';

/** Filesystem refusals that are the user's to fix: a one-line error and exit 2, not a crash. */
const USER_FIXABLE = new Set(['EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOENT', 'ENAMETOOLONG', 'EROFS', 'ENOSPC', 'EDQUOT', 'ELOOP', 'EEXIST', 'EXDEV', 'EMLINK']);

/** A UserError naming `what` for a refusal the user can fix; any other error unchanged. */
export function fsErrorLine(what: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && USER_FIXABLE.has(code)) return new UserError(`${escapeVisible(what)}: ${describeCode(code)}`);
  return err;
}

function describeCode(code: string): string {
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ENOENT: 'no such file or directory',
    ENAMETOOLONG: 'name too long for the filesystem',
    EROFS: 'read-only filesystem',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ELOOP: 'too many symbolic links',
    EEXIST: 'exists and is not a folder',
  };
  return `${words[code] ?? 'cannot write'} (${code})`;
}

/** The identity of a path for "is this the same file": device and inode when it exists, else its resolved location. */
async function identity(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `inode:${s.dev}:${s.ino}`;
  } catch {
    try {
      return `path:${join(await realpath(dirname(resolve(path))), basename(path))}`;
    } catch {
      return `path:${resolve(path)}`;
    }
  }
}

/**
 * Throws a one-line UserError when `output` is (by inode, through any symlink or hard link, or by
 * resolved path) one of `inputs`: an output must never replace what it was made from.
 */
export async function refuseInputAsOutput(output: string, inputs: readonly string[], flag = ''): Promise<void> {
  const out = await identity(output);
  for (const input of inputs) {
    if ((await identity(input)) === out) {
      throw new UserError(`${flag ? `${flag}: ` : ''}refusing to write ${escapeVisible(output)}: it is the input ${escapeVisible(input)}`);
    }
  }
}

/** A folder where a file is to be written is the user's mistake: one line, before any work is done. */
export async function refuseDirectory(path: string): Promise<void> {
  const existing = await lstat(path).catch(() => null);
  if (existing?.isDirectory()) throw new UserError(`${escapeVisible(path)}: is a directory; cannot write the file there`);
}

/**
 * Writes `text` to `path` through a temporary file created exclusively (a fresh random name in the
 * same folder, opened with O_EXCL, so a file or symlink planted there is never followed or
 * reused), then renamed over `path`. A directory at `path`, or a folder that refuses the write, is
 * a one-line UserError.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await refuseDirectory(path);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (err) {
    throw fsErrorLine(`cannot write ${path}`, err);
  }
  try {
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw fsErrorLine(`cannot write ${path}`, err);
  }
}

export function collectResults(name: string, run: string, inputs: readonly CellReportInput[]): RunResults {
  const cells = inputs.map((i) => i.result);
  return { name, run, met: cells.every((c) => c.met), cells };
}

export const OUTPUTS = ['results.json', 'junit.xml', 'report.html'] as const;

/**
 * Refuses, before anything is written, outputs of a results folder that are folders or that are
 * (by inode or resolved path) its config copy or one of `histories` (paths relative to `dir`).
 */
export async function refuseBadTargets(dir: string, histories: readonly string[], extra: readonly string[] = []): Promise<void> {
  const sources = [join(dir, 'config.yaml'), ...histories.map((h) => join(dir, h))];
  for (const name of [...OUTPUTS, ...extra]) {
    await refuseInputAsOutput(join(dir, name), sources);
    await refuseDirectory(join(dir, name));
  }
}

/** The cells whose anomalies do not all fit on report.html, each with the path of its own anomaly page. */
function anomalyPages(results: RunResults): Array<{ path: string; cell: RunResults['cells'][number] }> {
  return results.cells.filter((c) => anomaliesOnPage(c.anomalies).size < c.anomalies.length).map((cell) => ({ path: cellAnomaliesPath(cell.name), cell }));
}

export async function writeReports(dir: string, results: RunResults, inputs: readonly CellReportInput[], now = new Date()): Promise<string> {
  const texts: Record<(typeof OUTPUTS)[number], () => string> = {
    'results.json': () => `${JSON.stringify(results, null, 2)}\n`,
    'junit.xml': () => renderJunit(results, inputs),
    'report.html': () => renderReport(results, inputs, now.toISOString()),
  };
  const pages = anomalyPages(results);
  await refuseBadTargets(dir, results.cells.map((c) => c.history), pages.map((p) => p.path));
  // The pages report.html links to are written before it.
  for (const page of pages) {
    await mkdir(dirname(join(dir, page.path)), { recursive: true }).catch((err: unknown) => {
      throw fsErrorLine(`cannot write ${join(dir, page.path)}`, err);
    });
    await writeFileAtomically(join(dir, page.path), renderCellAnomalies(results.name, page.cell));
  }
  for (const name of OUTPUTS) await writeFileAtomically(join(dir, name), texts[name]());
  return join(dir, 'report.html');
}
