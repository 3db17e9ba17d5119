// The report's opening sentence and its matrix: which settings held and which broke, and how.
import type { AnomalyKind } from '../../checkers/anomaly.ts';
import { AXES, type Axis } from '../config/schema.ts';
import { escapeMarkup as esc } from './escape.ts';
import type { CellResult } from './results.ts';

export function countByKind(cell: CellResult): [AnomalyKind, number][] {
  const counts = new Map<AnomalyKind, number>();
  for (const a of cell.anomalies) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/** Axes whose value differs between cells: the only ones worth naming in a cell's label. */
export function varyingAxes(cells: readonly CellResult[]): Axis[] {
  return AXES.filter((a) => new Set(cells.map((c) => c.axes[a])).size > 1);
}

function settingLabel(cell: CellResult, axes: readonly Axis[]): string {
  const parts = axes.filter((a) => a !== 'recipe').map((a) => `${a.replace('_cl', ' CL').replace('_s', '').replace('_', ' ')} ${cell.axes[a]}`);
  return parts.length ? parts.join(', ') : 'the configured settings';
}

function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join('; ')} and ${items[items.length - 1]}`;
}

/** One sentence per recipe, in plain words; returned as escaped HTML. */
export function headline(cells: readonly CellResult[]): string {
  const axes = varyingAxes(cells);
  const recipes = [...new Set(cells.map((c) => c.axes.recipe))];
  return recipes
    .map((recipe) => {
      const own = cells.filter((c) => c.axes.recipe === recipe);
      const safe = own.filter((c) => c.verdict === 'safe' && c.error === undefined);
      const broke = own.filter((c) => c.verdict === 'unsafe');
      const unknown = own.filter((c) => c.verdict === 'unknown');
      const name = `<code>${esc(recipe)}</code>`;
      const parts: string[] = [];
      if (safe.length === own.length) parts.push(`${name} held in every cell (${esc(listing(own.map((c) => settingLabel(c, axes))))})`);
      else {
        if (broke.length) {
          const how = broke.map((c) => `${settingLabel(c, axes)}: ${countByKind(c).map(([k, n]) => `${n} ${k}`).join(', ')}`);
          parts.push(`${name} <span class="v-unsafe">broke</span> in ${broke.length} of ${own.length} cells (${esc(listing(how))})`);
        }
        if (safe.length) parts.push(`held under ${esc(listing(safe.map((c) => settingLabel(c, axes))))}`);
        if (unknown.length) parts.push(`stayed <span class="v-unknown">undecided</span> under ${esc(listing(unknown.map((c) => settingLabel(c, axes))))}`);
        if (!broke.length && parts.length) parts[0] = `${name} ${parts[0]}`;
      }
      return `${parts.join('; ')}.`;
    })
    .join(' ');
}

/** Rows: the first varying axis; columns: every combination of the others (or one column). */
export function matrixGrid(cells: readonly CellResult[]): string {
  const axes = varyingAxes(cells);
  const rowAxis: Axis = axes[0] ?? 'recipe';
  const colAxes = axes.slice(1);
  const rows = [...new Set(cells.map((c) => c.axes[rowAxis]))];
  const colKey = (c: CellResult): string => colAxes.map((a) => c.axes[a]).join(' · ');
  const cols = [...new Set(cells.map(colKey))];
  const head = `<tr><th class="corner">${esc(rowAxis)}${colAxes.length ? ` \\ ${esc(colAxes.join(' · '))}` : ''}</th>${cols.map((c) => `<th>${esc(c || 'cell')}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => {
      const tds = cols
        .map((col) => {
          const here = cells.filter((c) => c.axes[rowAxis] === r && colKey(c) === col);
          return `<td>${here.map(matrixCell).join('') || '<span class="muted">—</span>'}</td>`;
        })
        .join('');
      return `<tr><th>${esc(r)}</th>${tds}</tr>`;
    })
    .join('');
  return `<table class="matrix" id="matrix">${head}${body}</table>`;
}

function pct(n: number | null): string {
  return n === null ? '–' : `${(n * 100).toFixed(1)}%`;
}

function matrixCell(cell: CellResult): string {
  const kinds = countByKind(cell);
  const anomalies = kinds.length
    ? `<ul class="kinds">${kinds.map(([k, n]) => `<li><b>${n}</b> ${esc(k)}</li>`).join('')}</ul>`
    : cell.error !== undefined
      ? `<div class="kinds">${esc(cell.error)}</div>`
      : '<div class="kinds">no anomaly</div>';
  const expectation = `<span class="expect ${cell.met ? 'met' : 'broken'}" title="expectation ${esc(cell.expectation)}">${cell.met ? '✓' : '✗'} ${esc(cell.expectation)}</span>`;
  return (
    `<a class="mcell v-${esc(cell.verdict)}" href="#cell-${esc(cell.name)}" data-cell="${esc(cell.name)}" data-verdict="${esc(cell.verdict)}">` +
    `<div class="verdict">${esc(cell.verdict)}</div>${anomalies}` +
    `<div class="stats">avail ${pct(cell.availability)} · p99 ${cell.latency_ms.p99 === null ? '–' : `${cell.latency_ms.p99.toFixed(1)} ms`}</div>${expectation}</a>`
  );
}
