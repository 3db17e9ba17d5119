// The runs of a results folder → one self-contained page (inline CSS and SVG, no script, nothing
// fetched): every run with a link to its report, per cell a strip of its verdicts across runs
// (newest right) and the first run it broke in, and anomaly counts over time. Pure. Every string
// from the data goes through escapeMarkup, which also shows controls and bidi characters escaped.
import { escapeMarkup as esc } from '../report/escape.ts';
import type { CellResult } from '../report/results.ts';
import { formatDate, formatDuration, tally, type RunEntry } from './read-runs.ts';

/** A cell's mark in one run, by what a reader of the nightly wants to see first. */
type Mark = 'met' | 'allowed' | 'broken' | 'unknown' | 'error' | 'absent';

const COLOURS: Record<Mark, string> = {
  met: '#2e7d32',
  allowed: '#9e9e9e',
  broken: '#c62828',
  unknown: '#f9a825',
  error: '#6a1b9a',
  absent: '#eeeeee',
};
const LABELS: Record<Mark, string> = {
  met: 'safe, as expected',
  allowed: 'unsafe, allowed',
  broken: 'expectation broken',
  unknown: 'unknown',
  error: 'lockstorm could not run or check it',
  absent: 'not in this run',
};

export function markOf(cell: CellResult | undefined): Mark {
  if (cell === undefined) return 'absent';
  if (cell.error !== undefined) return 'error';
  if (cell.verdict === 'unknown') return 'unknown';
  if (!cell.met) return 'broken';
  return cell.verdict === 'safe' ? 'met' : 'allowed';
}

/** A run folder as a relative link: each path segment percent-encoded, so no name can leave the attribute or the folder. */
export function reportHref(folder: string): string {
  return `${encodeURIComponent(folder)}/report.html`;
}

const MARK_GAP = 1;
/** Room the strips and bars may take; a few runs get wide marks, hundreds get thin ones. */
const STRIP_WIDTH = 720;

/** Width of one run's mark: as wide as the room allows, between 2 and 10 px. */
function markWidth(runs: number): number {
  return Math.max(2, Math.min(10, Math.floor(STRIP_WIDTH / Math.max(1, runs)) - MARK_GAP));
}

function strip(runs: readonly RunEntry[], name: string): string {
  const mw = markWidth(runs.length);
  const w = runs.length * (mw + MARK_GAP);
  const rects = runs
    .map((r, i) => {
      const cell = r.results.cells.find((c) => c.name === name);
      const mark = markOf(cell);
      if (mark === 'absent') return '';
      return `<rect x="${i * (mw + MARK_GAP)}" y="0" width="${mw}" height="16" fill="${COLOURS[mark]}" data-mark="${mark}"><title>${esc(r.folder)}: ${LABELS[mark]}</title></rect>`;
    })
    .join('');
  return `<svg class="strip" width="${w}" height="16" viewBox="0 0 ${w} 16" role="img" aria-label="verdicts of ${esc(name)}, oldest left">${rects}</svg>`;
}

function anomalyChart(runs: readonly RunEntry[]): string {
  const kinds: string[] = [...new Set(runs.flatMap((r) => r.results.cells.flatMap((c) => c.anomalies.map((a): string => a.kind))))].sort();
  const palette = ['#c62828', '#ef6c00', '#6a1b9a', '#1565c0', '#00838f', '#4e342e', '#ad1457', '#558b2f'];
  const colour = (k: string): string => palette[kinds.indexOf(k) % palette.length]!;
  const counts = runs.map((r) => {
    const m = new Map<string, number>();
    for (const c of r.results.cells) for (const a of c.anomalies) m.set(a.kind, (m.get(a.kind) ?? 0) + 1);
    return m;
  });
  const max = Math.max(1, ...counts.map((m) => [...m.values()].reduce((s, x) => s + x, 0)));
  const h = 120;
  const bw = markWidth(runs.length);
  const w = runs.length * (bw + MARK_GAP);
  const bars = counts
    .map((m, i) => {
      let y = h;
      return kinds
        .filter((k) => m.has(k))
        .map((k) => {
          const n = m.get(k)!;
          const bh = (n / max) * h;
          y -= bh;
          return `<rect x="${i * (bw + MARK_GAP)}" y="${y.toFixed(1)}" width="${bw}" height="${bh.toFixed(1)}" fill="${colour(k)}"><title>${esc(runs[i]!.folder)}: ${n} ${esc(k)}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const legend = kinds.map((k) => `<span class="key"><i style="background:${colour(k)}"></i>${esc(k)}</span>`).join(' ');
  const body = kinds.length === 0 ? '<p>No run recorded an anomaly.</p>' : `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="anomalies per run, oldest left">${bars}</svg><p>${legend} (tallest bar: ${max})</p>`;
  return `<h2>Anomalies over time</h2>${body}`;
}

export function renderRunsIndex(runs: readonly RunEntry[], generatedAt: string): string {
  // Numbers inside names in number order: c2 before c10.
  const names = [...new Set(runs.flatMap((r) => r.results.cells.map((c) => c.name)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const runRows = [...runs]
    .reverse()
    .map((r) => {
      const t = tally(r.results);
      return `<tr><td>${esc(formatDate(r.date))}</td><td><a href="${esc(reportHref(r.folder))}">${esc(r.results.name)}</a></td><td class="n">${t.met}</td><td class="n">${t.broken}</td><td class="n">${t.unknown}</td><td>${esc(formatDuration(r.durationS))}</td><td class="f">${esc(r.folder)}</td></tr>`;
    })
    .join('\n');
  const cellRows = names
    .map((name) => {
      const first = runs.find((r) => markOf(r.results.cells.find((c) => c.name === name)) === 'broken');
      const firstCell = first ? `<a href="${esc(reportHref(first.folder))}">${esc(first.folder)}</a>` : 'never';
      const last = runs[runs.length - 1];
      const now = markOf(last?.results.cells.find((c) => c.name === name));
      return `<tr><td class="f">${esc(name)}</td><td>${strip(runs, name)}</td><td>${LABELS[now]}</td><td>${firstCell}</td></tr>`;
    })
    .join('\n');
  const legend = (Object.keys(COLOURS) as Mark[]).map((m) => `<span class="key"><i style="background:${COLOURS[m]}"></i>${LABELS[m]}</span>`).join(' ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lockstorm runs</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}
td.n{text-align:right}td.f{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.key i{display:inline-block;width:10px;height:10px;margin-right:4px}.key{margin-right:1em}svg{display:block}
</style></head><body>
<h1>lockstorm runs</h1>
<p>${runs.length} run${runs.length === 1 ? '' : 's'}, ${names.length} cell name${names.length === 1 ? '' : 's'}; page written ${esc(generatedAt)}. Unknown counts every cell whose verdict is unknown; met and broken are the rest, by their expectation. Durations come from file times (the config copy to the last history written).</p>
<h2>Cells across runs (oldest left, newest right)</h2>
<p>${legend}</p>
<table class="cells"><thead><tr><th>cell</th><th>verdicts</th><th>latest</th><th>first broke in</th></tr></thead><tbody>
${cellRows}
</tbody></table>
${anomalyChart(runs)}
<h2>Runs (newest first)</h2>
<table class="runs"><thead><tr><th>date</th><th>config</th><th>met</th><th>broken</th><th>unknown</th><th>duration</th><th>folder</th></tr></thead><tbody>
${runRows}
</tbody></table>
</body></html>
`;
}
