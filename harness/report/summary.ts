// The report's opening sentence and its matrix: which settings held and which broke, and how.
import type { Anomaly, AnomalyKind } from '../../checkers/anomaly.ts';
import { AXES, type Axis } from '../config/schema.ts';
import { cellAnchor } from './anchors.ts';
import { escapeMarkup as esc } from './escape.ts';
import type { CellResult } from './results.ts';
import { guardedSentences, guardedStats } from './guarded.ts';

export function countByKind(cell: CellResult): [AnomalyKind, number][] {
  const counts = new Map<AnomalyKind, number>();
  for (const a of cell.anomalies) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/** Axes whose value differs between cells: the only ones worth naming in a cell's label. */
export function varyingAxes(cells: readonly CellResult[]): Axis[] {
  return AXES.filter((a) => new Set(cells.map((c) => c.axes[a])).size > 1);
}

/** Axes whose value differs between the cells of one recipe, recipe itself left out. */
function recipeAxes(cells: readonly CellResult[]): Axis[] {
  return varyingAxes(cells).filter((a) => a !== 'recipe');
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const broke = (c: CellResult): boolean => c.verdict === 'unsafe';
const held = (c: CellResult): boolean => c.verdict === 'safe' && c.error === undefined;

/** Distinct anomaly kinds over cells, the most frequent first. */
function kindsOver(cells: readonly CellResult[]): AnomalyKind[] {
  const counts = new Map<AnomalyKind, number>();
  for (const c of cells) for (const a of c.anomalies) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

export interface AxisSplit {
  axis: Axis;
  /** Values under which every cell broke. */
  broke: string[];
  /** Values under which every cell held. */
  held: string[];
  /** Every value of the axis is in `broke` or `held`, and both have one: this axis alone tells breaking from holding. */
  decides: boolean;
}

/** For each axis that varies among `cells`: the values where all of them broke, and where all held. */
export function axisSplits(cells: readonly CellResult[]): AxisSplit[] {
  return recipeAxes(cells).map((axis) => {
    const values = [...new Set(cells.map((c) => c.axes[axis]))];
    const under = (v: string): CellResult[] => cells.filter((c) => c.axes[axis] === v);
    const brokeValues = values.filter((v) => under(v).every(broke));
    const heldValues = values.filter((v) => under(v).every(held));
    const decides = brokeValues.length > 0 && heldValues.length > 0 && brokeValues.length + heldValues.length === values.length;
    return { axis, broke: brokeValues, held: heldValues, decides };
  });
}

const under = (axis: Axis, values: readonly string[]): string => `${axis} ${values.join(' or ')}`;

/** Where a recipe broke and where it held, along the axes; plain text. */
function whereItBroke(cells: readonly CellResult[], nBroke: number): string {
  const splits = axisSplits(cells);
  const axes = splits.map((s) => s.axis);
  if (nBroke === cells.length) return axes.length ? `at every ${listing(axes)}` : '';
  const deciding = splits.filter((s) => s.decides);
  if (deciding.length) {
    return `only under ${deciding.map((s) => under(s.axis, s.broke)).join(' and ')}; held under ${deciding.map((s) => s.held.join(' or ')).join(' and ')}`;
  }
  const always = splits.filter((s) => s.broke.length).map((s) => under(s.axis, s.broke));
  const never = splits.filter((s) => s.held.length).map((s) => under(s.axis, s.held));
  const parts = [always.length ? `always under ${listing(always)}` : '', never.length ? `held under ${listing(never)}` : ''].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no single axis value tells where (see the matrix)';
}

/** One short sentence per recipe: how many cells broke, which anomaly kinds, and along which axis values. */
export function recipeSentence(recipe: string, own: readonly CellResult[]): string {
  const name = `<code>${esc(recipe)}</code>`;
  const brokeCells = own.filter(broke);
  const undecided = own.filter((c) => c.verdict === 'unknown' && c.error === undefined).length;
  const errors = own.filter((c) => c.error !== undefined).length;
  const against = brokeCells.filter((c) => !c.met).length;
  const tail = [
    undecided ? `${undecided} <span class="v-unknown">undecided</span>` : '',
    errors ? `${errors} could not be run or checked` : '',
  ].filter(Boolean);
  const closing = tail.length ? `; ${tail.join(', ')}` : '';
  if (brokeCells.length === 0) {
    const heldCount = own.filter(held).length;
    if (heldCount === own.length) return `${name} held in ${own.length === 1 ? 'its only cell' : `all ${own.length} cells`}.`;
    return `${name} held in ${heldCount} of ${own.length} cells${closing}.`;
  }
  const kinds = kindsOver(brokeCells).join(', ');
  const expected = against ? `; ${against === brokeCells.length ? 'all' : against} against a safe expectation` : '';
  const where = whereItBroke(own, brokeCells.length);
  return (
    `${name} <span class="v-unsafe">broke</span> in ${brokeCells.length} of ${own.length} cells (${esc(kinds)}${expected})` +
    `${where ? `: ${esc(where)}` : ''}${closing}.`
  );
}

/** One sentence per recipe, in plain words; returned as escaped HTML. */
export function headline(cells: readonly CellResult[]): string {
  const recipes = [...new Set(cells.map((c) => c.axes.recipe))];
  const guarded = guardedSentences(cells);
  return recipes.map((recipe) => recipeSentence(recipe, cells.filter((c) => c.axes.recipe === recipe))).join(' ') + (guarded ? ` ${guarded}` : '');
}

const secondsText = (ns: number): string => `${(ns / 1e9).toFixed(1)} s`;

/** What the earliest anomaly was, in a few words. */
function anomalyWords(a: Anomaly): string {
  const [o1, o2] = a.owners;
  switch (a.kind) {
    case 'double-holder':
      return o1 && o2 ? `${o1} and ${o2} both held ${a.key}` : `two owners held ${a.key}`;
    case 'lost-release':
      return `${o1 ?? 'an owner'} released ${a.key} yet still held it`;
    case 'resurrected-lock':
      return `${a.key} came back to ${a.owners.join(' and ') || 'a former owner'} after it was freed`;
    case 'orphaned-lock':
      return `${a.key} stayed held by ${o1 ?? 'an owner'} who had given it up`;
    case 'ghost-lock':
      return `${a.key} stayed held by ${o1 ?? 'an owner'} whose acquire and clean-up both failed`;
    case 'torn-row':
      return `a read of ${a.key} saw a row no order of whole writes leaves`;
    case 'non-linearizable':
      return `no order of the operations on ${a.key} explains the reads`;
    case 'lost-update':
      return `acknowledged increments of ${a.key}'s guarded record were lost`;
    case 'stale-holder':
      return `${o1 ?? 'a holder'} wrote ${a.key}'s guarded record after its lease ran out${o2 ? `, over ${o2}` : ''}`;
  }
}

const MAX_KEYS = 3;
const MAX_HEADLINE = 240;

/**
 * A cell's anomalies in one short line, e.g. `double-holder ×3 on k0, k2; lost-release ×1 — first:
 * p8-7 and p2-9 both held k2 at 1.9 s`. `timeOf` gives an event's time (ns) by index; without it the
 * earliest anomaly is the one whose proof ends at the lowest event index, and no time is named.
 * Plain text, not escaped.
 */
export function anomalyHeadline(anomalies: readonly Anomaly[], timeOf?: (index: number) => number | undefined): string {
  if (anomalies.length === 0) return '';
  const byKind = new Map<AnomalyKind, Anomaly[]>();
  for (const a of anomalies) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
  const kinds = [...byKind.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([kind, list]) => {
      const keys = [...new Set(list.map((a) => a.key))];
      const shown = keys.slice(0, MAX_KEYS).join(', ') + (keys.length > MAX_KEYS ? ` +${keys.length - MAX_KEYS} more` : '');
      return `${kind} ×${list.length} on ${shown}`;
    });
  // An anomaly is proven by the last of its witness events: the earliest proven comes first.
  const provenAt = (a: Anomaly): number => Math.max(...a.witness);
  const first = [...anomalies].sort((a, b) => provenAt(a) - provenAt(b))[0]!;
  const t = timeOf?.(provenAt(first));
  const line = `${kinds.join('; ')} — first: ${anomalyWords(first)}${t === undefined ? '' : ` at ${secondsText(t)}`}`;
  const flat = line.replace(/\s+/g, ' ');
  return flat.length > MAX_HEADLINE ? `${flat.slice(0, MAX_HEADLINE - 1)}…` : flat;
}

const valuesOf = (cells: readonly CellResult[], axis: Axis): string[] => [...new Set(cells.map((c) => c.axes[axis]))];

/** One table: rows the values of `rowAxis`, columns those of `colAxis` (or a single column). */
function grid(cells: readonly CellResult[], rowAxis: Axis, colAxis: Axis | undefined, caption: string, id: string): string {
  const rows = valuesOf(cells, rowAxis);
  const cols = colAxis ? valuesOf(cells, colAxis) : [''];
  const head = `<tr><th class="corner">${esc(rowAxis)}${colAxis ? ` \\ ${esc(colAxis)}` : ''}</th>${cols.map((c) => `<th>${esc(c || 'cell')}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => {
      const tds = cols
        .map((col) => {
          const here = cells.filter((c) => c.axes[rowAxis] === r && (colAxis === undefined || c.axes[colAxis] === col));
          return `<td>${here.map(matrixCell).join('') || '<span class="muted">—</span>'}</td>`;
        })
        .join('');
      return `<tr><th>${esc(r)}</th>${tds}</tr>`;
    })
    .join('');
  return `<table class="matrix"${id ? ` id="${id}"` : ''}>${caption ? `<caption>${caption}</caption>` : ''}${head}${body}</table>`;
}

/**
 * Rows: the first varying axis; columns: the second. With more axes varying, one such table per
 * combination of the others (small multiples), each captioned with its values, so every axis
 * stays visible and no cell hides behind another.
 */
export function matrixGrid(cells: readonly CellResult[]): string {
  const axes = varyingAxes(cells);
  const rowAxis: Axis = axes[0] ?? 'recipe';
  const colAxis = axes[1];
  const rest = axes.slice(2);
  if (rest.length === 0) return `<div class="matrix-set" id="matrix">${grid(cells, rowAxis, colAxis, '', '')}</div>`;
  const keyOf = (c: CellResult): string => JSON.stringify(rest.map((a) => c.axes[a]));
  const groups = [...new Set(cells.map(keyOf))];
  const tables = groups.map((g) => {
    const own = cells.filter((c) => keyOf(c) === g);
    const values = JSON.parse(g) as string[];
    const caption = rest.map((a, i) => `<span class="axis">${esc(a)}</span> <b>${esc(values[i]!)}</b>`).join(' · ');
    return grid(own, rowAxis, colAxis, caption, '');
  });
  return (
    `<div class="matrix-set small-multiples" id="matrix"><p class="muted">${esc(rowAxis)} down, ${esc(colAxis!)} across; one table per ${esc(listing(rest))}.</p>` +
    `${tables.join('')}</div>`
  );
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
    `<a class="mcell v-${esc(cell.verdict)}" href="#${cellAnchor(cell.name)}" data-cell="${esc(cell.name)}" data-verdict="${esc(cell.verdict)}">` +
    `<div class="verdict">${esc(cell.verdict)}</div>${anomalies}` +
    `<div class="stats">avail ${pct(cell.availability)} · p99 ${cell.latency_ms.p99 === null ? '–' : `${cell.latency_ms.p99.toFixed(1)} ms`}</div>` +
    guardedStats(cell) +
    (typeof cell.first_anomaly_s === 'number' ? `<div class="stats first-anomaly">first anomaly at ${cell.first_anomaly_s.toFixed(1)} s</div>` : '') +
    `${expectation}</a>`
  );
}
