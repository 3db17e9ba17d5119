// The report's figures as plain SVG strings: no library, no script, so the file works offline
// and a screenshot shows exactly what a reader sees. Every text passes through escapeMarkup.
import type { Anomaly } from '../../checkers/anomaly.ts';
import { escapeMarkup as esc } from './escape.ts';
import type { FaultWindow, Op } from './ops.ts';

export const COLORS = { ok: '#2a9d8f', fail: '#e9a23b', info: '#d62839' } as const;
const FAULT_FILL = '#8d99ae';
const W = 900;
const PAD = { left: 56, right: 16, top: 26, bottom: 30 };

interface Frame {
  width: number;
  height: number;
  /** Nanoseconds → x pixel. */
  x: (ns: number) => number;
  t0: number;
  t1: number;
}

/** Pixel columns of the plot area: the finest detail a chart can show, so the most it ever draws per series. */
export const PLOT_COLUMNS = W - PAD.left - PAD.right;

function frame(t0: number, t1: number, height: number): Frame {
  const span = Math.max(1, t1 - t0);
  return { width: W, height, t0, t1, x: (ns) => PAD.left + ((ns - t0) / span) * (W - PAD.left - PAD.right) };
}

/** The plot column a time falls in, clamped into the plot: binning by pixel, never by unit of time. */
function columnOf(f: Frame, ns: number): number {
  const span = Math.max(1, f.t1 - f.t0);
  const c = Math.floor(((ns - f.t0) / span) * PLOT_COLUMNS);
  return Number.isFinite(c) ? Math.min(PLOT_COLUMNS - 1, Math.max(0, c)) : ns > f.t0 ? PLOT_COLUMNS - 1 : 0;
}

const fmt = (n: number, digits = 1): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** A 1-2-5 step giving at most about ten ticks, for any span: the loop below never runs more than a dozen times. */
export function niceStep(span: number, ticks = 10): number {
  const raw = span / ticks;
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return pow * (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10);
}

function timeAxis(f: Frame): string {
  const spanS = (f.t1 - f.t0) / 1e9;
  const step = niceStep(spanS);
  const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  const y = f.height - PAD.bottom;
  let out = `<line x1="${PAD.left}" y1="${y}" x2="${W - PAD.right}" y2="${y}" class="axis"/>`;
  const first = Math.ceil(f.t0 / 1e9 / step);
  for (let i = 0; i <= 12; i++) {
    const s = (first + i) * step;
    if (s > f.t1 / 1e9 + step * 1e-9) break;
    const x = f.x(s * 1e9).toFixed(1);
    out += `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" class="axis"/><text x="${x}" y="${y + 16}" class="tick" text-anchor="middle">${s.toFixed(digits)}s</text>`;
  }
  return out;
}

/** Above this many windows a chart shades them without labels (merged where they touch on screen). */
const LABELLED_WINDOWS = 40;

/** Shaded fault windows, labelled with the fault and its targets; labels stagger so overlaps stay legible. */
function faultBands(f: Frame, windows: readonly FaultWindow[]): string {
  const top = PAD.top;
  const bottom = f.height - PAD.bottom;
  const clip = (w: FaultWindow): [number, number] | null => {
    const x0 = Math.max(PAD.left, f.x(w.start));
    const x1 = Math.min(W - PAD.right, f.x(w.end));
    return x1 < PAD.left || x0 > W - PAD.right ? null : [x0, x1];
  };
  const rect = (x0: number, x1: number): string =>
    `<rect x="${x0.toFixed(1)}" y="${top}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${bottom - top}" fill="${FAULT_FILL}" fill-opacity="0.18"/>`;
  if (windows.length > LABELLED_WINDOWS) {
    const spans: [number, number][] = [];
    for (const w of windows) {
      const c = clip(w);
      if (!c) continue;
      const last = spans[spans.length - 1];
      if (last && c[0] <= last[1] + 1) last[1] = Math.max(last[1], c[1]);
      else spans.push(c);
    }
    return `<g class="fault"><title>${esc(`${windows.length} fault windows`)}</title>${spans.map(([a, b]) => rect(a, b)).join('')}</g>`;
  }
  return windows
    .map((w, i) => {
      const c = clip(w);
      if (!c) return '';
      const [x0, x1] = c;
      const label = `${w.fault}${w.targets.length ? ` ${w.targets.join(',')}` : ''}`;
      return (
        `<g class="fault"><title>${esc(`${label}: ${fmt((w.start - f.t0) / 1e9, 2)}s – ${fmt((w.end - f.t0) / 1e9, 2)}s`)}</title>${rect(x0, x1)}` +
        `<text x="${(x0 + 2).toFixed(1)}" y="${top + 11 + (i % 2) * 11}" class="fault-label">${esc(label)}</text></g>`
      );
    })
    .join('');
}

function svgOpen(f: Frame, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="100%" role="img" aria-label="${esc(label)}">`;
}

/** The largest value of a list, by loop: spreading a long list into Math.max overflows the stack. */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** A time range of the history in nanoseconds. */
export type Span = readonly [number, number];

export interface LatencyChart {
  svg: string;
  /** Operations drawn one by one; the rest (total − exact) are folded into per-column min–max bars. */
  exact: number;
  total: number;
}

/** The latency of an op in ms, finite and above the log axis' floor whatever the recorded times. */
function latencyMs(o: Op): number {
  const ms = (o.end - o.start) / 1e6;
  return Number.isFinite(ms) ? Math.max(0.1, ms) : Number.MAX_VALUE;
}

/**
 * Latency of every operation over time. Up to `maxPoints` operations are drawn as dots; past that,
 * each pixel column shows the min–max latency range of each outcome there (nothing a screen could
 * show is lost), and only the operations inside `keep` (the witness windows) stay individual dots.
 */
export function latencyChart(ops: readonly Op[], windows: readonly FaultWindow[], t1: number, maxPoints = 6000, keep: readonly Span[] = []): LatencyChart {
  const f = frame(0, t1, 260);
  const maxMs = maxOf(
    (function* () {
      for (const o of ops) yield latencyMs(o);
    })(),
    10,
  );
  const lo = Math.log10(0.1);
  const hi = Math.max(lo + 1, Math.log10(Math.min(maxMs * 1.2, Number.MAX_VALUE)));
  const y = (ms: number): number => f.height - PAD.bottom - ((Math.log10(ms) - lo) / (hi - lo)) * (f.height - PAD.top - PAD.bottom);
  let grid = '';
  const decades = Math.ceil(hi - lo);
  const every = Math.max(1, Math.ceil(decades / 8));
  for (let d = 0; d <= decades; d += every) {
    const ms = 10 ** (lo + d);
    if (ms > maxMs * 1.2) break;
    const yy = y(ms).toFixed(1);
    const label = ms >= 1000 ? `${fmt(ms / 1000)}s` : `${fmt(ms)}ms`;
    grid += `<line x1="${PAD.left}" y1="${yy}" x2="${W - PAD.right}" y2="${yy}" class="grid"/><text x="${PAD.left - 6}" y="${yy}" class="tick" text-anchor="end" dominant-baseline="middle">${label}</text>`;
  }
  // Each dot is a zero-length segment of its outcome's one path, drawn by the round line cap: a
  // few bytes per point where an element each would take sixty (a nightly page has 48 charts).
  const dots: Record<Op['type'], string[]> = { ok: [], fail: [], info: [] };
  const dot = (o: Op): void => void dots[o.type].push(`M${f.x(o.start).toFixed(1)} ${y(latencyMs(o)).toFixed(1)}h0`);
  const dotPaths = (): string =>
    (['ok', 'fail', 'info'] as const)
      .filter((t) => dots[t].length)
      .map((t) => `<path class="dots" data-n="${dots[t].length}" stroke="${COLORS[t]}" stroke-width="3.6" stroke-linecap="round" d="${dots[t].join('')}"/>`)
      .join('');
  let points = '';
  let exact = 0;
  if (ops.length <= maxPoints) {
    for (const o of ops) dot(o);
    exact = ops.length;
    points = dotPaths();
  } else {
    const inKeep = (o: Op): boolean => keep.some(([a, b]) => o.end >= a && o.start <= b);
    let kept = 0;
    for (const o of ops) if (keep.length && inKeep(o)) kept++;
    // A witness window as long as the run would bring every op back; then only the bands remain.
    const keepExact = kept > 0 && kept <= maxPoints;
    const types = ['ok', 'fail', 'info'] as const;
    const bins = Object.fromEntries(
      types.map((t) => [t, { min: new Float64Array(PLOT_COLUMNS).fill(Infinity), max: new Float64Array(PLOT_COLUMNS).fill(-Infinity), n: new Uint32Array(PLOT_COLUMNS) }]),
    ) as Record<Op['type'], { min: Float64Array; max: Float64Array; n: Uint32Array }>;
    for (const o of ops) {
      if (keepExact && inKeep(o)) {
        dot(o);
        exact++;
        continue;
      }
      const b = bins[o.type];
      const c = columnOf(f, o.start);
      const ms = latencyMs(o);
      b.n[c]! += 1;
      if (ms < b.min[c]!) b.min[c] = ms;
      if (ms > b.max[c]!) b.max[c] = ms;
    }
    let bars = '';
    // The commonest outcome first, so a rarer one in the same column is drawn over it and stays visible.
    // One path per outcome, a vertical segment per pixel column.
    const total = (t: Op['type']): number => bins[t].n.reduce((a, b) => a + b, 0);
    for (const t of [...types].sort((a, b) => total(b) - total(a))) {
      const b = bins[t];
      const segments: string[] = [];
      for (let c = 0; c < PLOT_COLUMNS; c++) {
        if (b.n[c] === 0) continue;
        const y0 = y(b.max[c]!);
        const y1 = y(b.min[c]!);
        segments.push(`M${(PAD.left + c + 0.5).toFixed(1)} ${(y0 - 1).toFixed(1)}V${(y1 + 1).toFixed(1)}`);
      }
      if (segments.length) bars += `<path class="band" data-n="${segments.length}" stroke="${COLORS[t]}" stroke-width="1.6" d="${segments.join('')}"/>`;
    }
    points = `<g class="bands">${bars}</g>${dotPaths()}`;
  }
  const svg = `${svgOpen(f, 'latency over time')}${faultBands(f, windows)}${grid}${timeAxis(f)}<g class="points">${points}</g>${legend()}</svg>`;
  return { svg, exact, total: ops.length };
}

function legend(): string {
  return (['ok', 'fail', 'info'] as const)
    .map((t, i) => `<circle cx="${W - 150 + i * 48}" cy="10" r="4" fill="${COLORS[t]}"/><text x="${W - 143 + i * 48}" y="14" class="tick">${t}</text>`)
    .join('');
}

export interface ThroughputChart {
  svg: string;
  /** Width of one bar of the series, in nanoseconds: 1 s unless the run is longer than the chart has columns. */
  bucketNs: number;
  buckets: number;
}

/** Completions per second over time, counted in one-second buckets, or per pixel column when the run is longer. */
export function throughputChart(ops: readonly Op[], windows: readonly FaultWindow[], t1: number): ThroughputChart {
  const f = frame(0, t1, 200);
  const span = Math.max(1, t1);
  const buckets = Math.max(1, Math.min(PLOT_COLUMNS, Math.ceil(span / 1e9)));
  const bucketNs = buckets < PLOT_COLUMNS ? 1e9 : span / buckets;
  const counts = { ok: new Float64Array(buckets), fail: new Float64Array(buckets), info: new Float64Array(buckets) };
  for (const o of ops) {
    const b = Math.floor(o.end / bucketNs);
    counts[o.type][Number.isFinite(b) ? Math.min(buckets - 1, Math.max(0, b)) : o.end > 0 ? buckets - 1 : 0]! += 1;
  }
  const perSecond = 1e9 / bucketNs;
  const max = Math.max(1, maxOf(counts.ok), maxOf(counts.fail), maxOf(counts.info)) * perSecond;
  const y = (n: number): number => f.height - PAD.bottom - (n / max) * (f.height - PAD.top - PAD.bottom);
  const line = (series: Float64Array, color: string): string => {
    const pts: string[] = [];
    series.forEach((n, i) => pts.push(`${f.x((i + 0.5) * bucketNs).toFixed(1)},${y(n * perSecond).toFixed(1)}`));
    return `<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${pts.join(' ')}"/>`;
  };
  const rate = (n: number): string => (n >= 10 || Number.isInteger(n) ? String(Math.round(n)) : n.toPrecision(2));
  const ticks = [0, max / 2, max]
    .map((n) => `<text x="${PAD.left - 6}" y="${y(n).toFixed(1)}" class="tick" text-anchor="end" dominant-baseline="middle">${rate(n)}/s</text>`)
    .join('');
  const svg = `${svgOpen(f, 'throughput over time')}${faultBands(f, windows)}${ticks}${timeAxis(f)}${line(counts.ok, COLORS.ok)}${line(counts.fail, COLORS.fail)}${line(counts.info, COLORS.info)}${legend()}</svg>`;
  return { svg, bucketNs, buckets };
}

function opLabel(o: Op): string {
  return `${o.f}${o.owner ? ` ${o.owner}` : ''} ${o.type}${o.final ? ' (final)' : ''}`;
}

/** Labels sit right of a bar in the left half of the chart and left of it in the right half, so they stay inside. */
function opText(x0: number, x1: number, y: number, text: string): string {
  // Inside the bar when it fits (about 6 px per character at this size): neighbours cannot collide then.
  if (x1 - x0 >= text.length * 6 + 8) return `<text x="${(x0 + 4).toFixed(1)}" y="${y}" class="op-label">${esc(text)}</text>`;
  const right = x0 < (PAD.left + W - PAD.right) / 2;
  const x = right ? Math.max(x0, x1 - 2) + 4 : x0 - 4;
  return `<text x="${x.toFixed(1)}" y="${y}" class="op-label" text-anchor="${right ? 'start' : 'end'}">${esc(text)}</text>`;
}

/** The operations an anomaly's witness events belong to (an event is an invocation or a completion). */
export function witnessOps(anomaly: Anomaly, ops: readonly Op[]): Op[] {
  const witness = new Set(anomaly.witness);
  return ops.filter((o) => witness.has(o.invokeIndex) || (o.completeIndex !== null && witness.has(o.completeIndex)));
}

/** The stretch of time a witness timeline shows: its operations plus a margin either side; null when none matches. */
export function witnessSpan(proof: readonly Op[]): Span | null {
  if (proof.length === 0) return null;
  let from = Infinity;
  let to = -Infinity;
  for (const o of proof) {
    if (o.start < from) from = o.start;
    if (o.end > to) to = o.end;
  }
  const margin = Math.max((to - from) * 0.3, 5e6);
  return [Math.max(0, from - margin), to + margin];
}

/** Most processes one timeline gives a lane. */
const MAX_LANES = 16;

/**
 * One anomaly on a per-process timeline: every operation on its key around the witness, the
 * witness operations outlined and numbered with their event indexes, fault windows shaded.
 * Around a long witness, a lane keeps one background bar per pixel column; witness bars are all drawn.
 */
export function witnessTimeline(anomaly: Anomaly, ops: readonly Op[], windows: readonly FaultWindow[]): string {
  const witness = new Set(anomaly.witness);
  const proof = witnessOps(anomaly, ops);
  const span = witnessSpan(proof);
  if (!span) return `<p class="muted">No operation of this history matches the witness events ${esc(anomaly.witness.join(', '))}.</p>`;
  const proofSet = new Set(proof);
  const [t0, t1] = span;
  const proofProcesses = new Set(proof.map((o) => o.process));
  const around = ops.filter((o) => o.key === anomaly.key && o.end >= t0 && o.start <= t1 && !proofSet.has(o));
  const processes = [...new Set([...proof.map((o) => o.process), ...around.map((o) => o.process)])].slice(0, MAX_LANES);
  processes.sort((a, b) => Number(proofProcesses.has(b)) - Number(proofProcesses.has(a)) || a - b);
  const laneOf = new Map(processes.map((p, i) => [p, i]));
  const lane = 26;
  const f = frame(t0, t1, PAD.top + PAD.bottom + processes.length * lane + 6);
  const laneY = (p: number): number => PAD.top + laneOf.get(p)! * lane;
  const lanes = processes
    .map((p) => `<text x="${PAD.left - 6}" y="${laneY(p) + lane / 2}" class="tick" text-anchor="end" dominant-baseline="middle">p${p}</text><line x1="${PAD.left}" y1="${laneY(p) + lane - 1}" x2="${W - PAD.right}" y2="${laneY(p) + lane - 1}" class="grid"/>`)
    .join('');
  const taken = new Set<string>();
  const background = around.filter((o) => {
    if (!laneOf.has(o.process)) return false;
    const slot = `${o.process}:${columnOf(f, o.start)}`;
    if (taken.has(slot)) return false;
    taken.add(slot);
    return true;
  });
  const bar = (o: Op): string => {
    const x0 = Math.max(PAD.left, f.x(o.start));
    const x1 = Math.min(W - PAD.right, f.x(o.end));
    const w = Math.max(3, x1 - x0);
    const y = laneY(o.process) + 4;
    const mark = proofSet.has(o);
    const idx = [o.invokeIndex, o.completeIndex].filter((i): i is number => i !== null && witness.has(i));
    const tip = `${opLabel(o)} on ${o.key} · events ${o.invokeIndex}${o.completeIndex !== null ? `→${o.completeIndex}` : ''}${o.error ? ` · ${o.error}` : ''}`;
    return (
      `<g class="op${mark ? ' witness' : ''}"${mark ? ` data-witness="${idx.join(' ')}"` : ''}><title>${esc(tip)}</title>` +
      `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${lane - 10}" rx="3" fill="${COLORS[o.type]}" fill-opacity="${mark ? 0.95 : 0.35}"${mark ? ' stroke="#111" stroke-width="2"' : ''}${o.completeIndex === null ? ' stroke-dasharray="4 2"' : ''}/>` +
      (mark ? opText(x0, x1, y + lane / 2 - 1, `${opLabel(o)} [${idx.join(',')}]`) : '') +
      '</g>'
    );
  };
  const bars = backgroundBars(background, f, laneY, lane) + proof.filter((o) => laneOf.has(o.process)).map(bar).join('');
  return `${svgOpen(f, `witness of ${anomaly.kind} on ${anomaly.key}`)}${faultBands(f, windows)}${lanes}${timeAxis(f)}${bars}</svg>`;
}

/**
 * The operations around a witness, faint, as one path per outcome (and one more for those never
 * completed, dashed): the context a reader needs, at a few bytes a bar. Witness bars alone carry
 * a tooltip each.
 */
function backgroundBars(ops: readonly Op[], f: Frame, laneY: (p: number) => number, lane: number): string {
  const groups = new Map<string, { type: Op['type']; open: boolean; d: string[] }>();
  for (const o of ops) {
    const x0 = Math.max(PAD.left, f.x(o.start));
    const x1 = Math.min(W - PAD.right, f.x(o.end));
    const w = Math.max(3, x1 - x0);
    const open = o.completeIndex === null;
    const id = `${o.type}${open ? ' open' : ''}`;
    const g = groups.get(id) ?? { type: o.type, open, d: [] };
    g.d.push(`M${x0.toFixed(1)} ${laneY(o.process) + 4}h${w.toFixed(1)}v${lane - 10}h${(-w).toFixed(1)}z`);
    groups.set(id, g);
  }
  return [...groups.values()]
    .map(
      (g) =>
        `<path class="background" data-n="${g.d.length}" fill="${COLORS[g.type]}" fill-opacity="0.35"${g.open ? ' stroke="#555" stroke-dasharray="4 2"' : ''} d="${g.d.join('')}"/>`,
    )
    .join('');
}
