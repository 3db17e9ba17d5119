// A folder of results folders → the runs in it, oldest first, and the folders that are not runs.
// A run is a folder with a readable results.json of the shape harness/report/results.ts writes;
// its date is the `<yyyymmdd-hhmmss>` its folder name starts with (UTC, as the run names it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunResults } from '../report/results.ts';

/** Only the fields the history pages and diff read; anything else a results.json carries is kept as it is. */
const cellShape = z.looseObject({
  name: z.string(),
  verdict: z.enum(['safe', 'unsafe', 'unknown']),
  expectation: z.string(),
  met: z.boolean(),
  anomalies: z.array(z.looseObject({ kind: z.string() })),
  error: z.string().optional(),
});
const runShape = z.looseObject({ name: z.string(), run: z.string(), met: z.boolean(), cells: z.array(cellShape) });

export interface RunEntry {
  /** The folder's name inside the scanned folder. */
  folder: string;
  /** From the folder name; null when it does not start with `<yyyymmdd-hhmmss>-`. */
  date: Date | null;
  results: RunResults;
  /** Seconds from the config copy (written first) to the newest cell history; null when unknown. */
  durationS: number | null;
}

export interface Skipped {
  folder: string;
  why: string;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/;

export function dateOfFolder(name: string): Date | null {
  const m = STAMP.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // 20261340 is not a date: Date.UTC would roll it over into another one.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi ? date : null;
}

/** Parses and checks a results.json text; the reason when it is not one. */
export function parseRunResults(text: string): { ok: true; results: RunResults } | { ok: false; why: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, why: `results.json is not JSON (${(e as Error).message})` };
  }
  const r = runShape.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { ok: false, why: `results.json: ${issue.path.join('.') || 'top level'}: ${issue.message}` };
  }
  return { ok: true, results: r.data as unknown as RunResults };
}

function mtimeMs(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Wall time of a run from its files, as results.json records no times: the config copy is
 * written before the first cell, each history is last written when its cell ends. Copies that
 * lost their times (an unpacked artefact) give no positive span and so read as unknown.
 */
function durationOf(dir: string, results: RunResults): number | null {
  const start = mtimeMs(join(dir, 'config.yaml'));
  const ends = results.cells.map((c) => mtimeMs(join(dir, c.history ?? ''))).filter((t): t is number => t !== null);
  if (start === null || ends.length === 0) return null;
  const span = (Math.max(...ends) - start) / 1000;
  return span > 0 ? Math.round(span) : null;
}

export function readRunResults(dir: string): { ok: true; results: RunResults } | { ok: false; why: string } {
  let text: string;
  try {
    const st = statSync(join(dir, 'results.json'));
    if (!st.isFile()) return { ok: false, why: 'results.json is not a file' };
    text = readFileSync(join(dir, 'results.json'), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' ? 'no results.json' : `results.json unreadable (${code ?? (e as Error).message})` };
  }
  return parseRunResults(text);
}

export function readRuns(root: string): { runs: RunEntry[]; skipped: Skipped[] } {
  const runs: RunEntry[] = [];
  const skipped: Skipped[] = [];
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = join(root, e.name);
    const r = readRunResults(dir);
    if (!r.ok) {
      skipped.push({ folder: e.name, why: r.why });
      continue;
    }
    runs.push({ folder: e.name, date: dateOfFolder(e.name), results: r.results, durationS: durationOf(dir, r.results) });
  }
  // Undated folders first (by name), then by date: newest last, as the strips read.
  runs.sort((a, b) => (a.date?.getTime() ?? -Infinity) - (b.date?.getTime() ?? -Infinity) || (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  return { runs, skipped };
}

export interface Tally {
  met: number;
  broken: number;
  unknown: number;
}

/** Disjoint: `unknown` is every cell whose verdict is unknown; the rest are met or broken by their expectation. */
export function tally(results: RunResults): Tally {
  const t = { met: 0, broken: 0, unknown: 0 };
  for (const c of results.cells) {
    if (c.verdict === 'unknown') t.unknown++;
    else if (c.met) t.met++;
    else t.broken++;
  }
  return t;
}

export function formatDuration(s: number | null): string {
  if (s === null) return 'duration unknown';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${sec} s` : `${sec} s`;
}

export function formatDate(d: Date | null): string {
  return d === null ? 'date unknown' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
