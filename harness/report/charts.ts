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

function frame(t0: number, t1: number, height: number): Frame {
  const span = Math.max(1, t1 - t0);
  return { width: W, height, t0, t1, x: (ns) => PAD.left + ((ns - t0) / span) * (W - PAD.left - PAD.right) };
}

const fmt = (n: number, digits = 1): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

function timeAxis(f: Frame): string {
  const spanS = (f.t1 - f.t0) / 1e9;
  const step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300].find((s) => spanS / s <= 10) ?? 600;
  const y = f.height - PAD.bottom;
  let out = `<line x1="${PAD.left}" y1="${y}" x2="${W - PAD.right}" y2="${y}" class="axis"/>`;
  for (let s = Math.ceil(f.t0 / 1e9 / step) * step; s <= f.t1 / 1e9 + 1e-9; s += step) {
    const x = f.x(s * 1e9).toFixed(1);
    out += `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" class="axis"/><text x="${x}" y="${y + 16}" class="tick" text-anchor="middle">${fmt(Math.round(s * 10) / 10)}s</text>`;
  }
  return out;
}

/** Shaded fault windows, labelled with the fault and its targets; labels stagger so overlaps stay legible. */
function faultBands(f: Frame, windows: readonly FaultWindow[]): string {
  const top = PAD.top;
  const bottom = f.height - PAD.bottom;
  return windows
    .map((w, i) => {
      const x0 = Math.max(PAD.left, f.x(w.start));
      const x1 = Math.min(W - PAD.right, f.x(w.end));
      if (x1 < PAD.left || x0 > W - PAD.right) return '';
      const label = `${w.fault}${w.targets.length ? ` ${w.targets.join(',')}` : ''}`;
      return (
        `<g class="fault"><title>${esc(`${label}: ${fmt((w.start - f.t0) / 1e9, 2)}s – ${fmt((w.end - f.t0) / 1e9, 2)}s`)}</title>` +
        `<rect x="${x0.toFixed(1)}" y="${top}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${bottom - top}" fill="${FAULT_FILL}" fill-opacity="0.18"/>` +
        `<text x="${(x0 + 2).toFixed(1)}" y="${top + 11 + (i % 2) * 11}" class="fault-label">${esc(label)}</text></g>`
      );
    })
    .join('');
}

function svgOpen(f: Frame, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="100%" role="img" aria-label="${esc(label)}">`;
}

/** Keep every fail and info (they are the story) and an even sample of the oks. */
export function samplePoints(ops: readonly Op[], max: number): Op[] {
  if (ops.length <= max) return [...ops];
  const rare = ops.filter((o) => o.type !== 'ok');
  const oks = ops.filter((o) => o.type === 'ok');
  const room = Math.max(0, max - rare.length);
  const step = oks.length / Math.max(1, room);
  const sampled = room === 0 ? [] : Array.from({ length: Math.min(room, oks.length) }, (_, i) => oks[Math.floor(i * step)]!);
  return [...sampled, ...rare].sort((a, b) => a.start - b.start);
}

export function latencyChart(ops: readonly Op[], windows: readonly FaultWindow[], t1: number, maxPoints = 6000): string {
  const f = frame(0, t1, 260);
  const lat = (o: Op): number => Math.max(0.1, (o.end - o.start) / 1e6);
  const maxMs = Math.max(10, ...ops.map(lat));
  const lo = Math.log10(0.1);
  const hi = Math.log10(maxMs * 1.2);
  const y = (ms: number): number => f.height - PAD.bottom - ((Math.log10(ms) - lo) / (hi - lo)) * (f.height - PAD.top - PAD.bottom);
  let grid = '';
  for (const ms of [0.1, 1, 10, 100, 1000, 10000, 100000]) {
    if (ms > maxMs * 1.2) break;
    const yy = y(ms).toFixed(1);
    grid += `<line x1="${PAD.left}" y1="${yy}" x2="${W - PAD.right}" y2="${yy}" class="grid"/><text x="${PAD.left - 6}" y="${yy}" class="tick" text-anchor="end" dominant-baseline="middle">${ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`}</text>`;
  }
  const points = samplePoints(ops, maxPoints)
    .map((o) => `<circle cx="${f.x(o.start).toFixed(1)}" cy="${y(lat(o)).toFixed(1)}" r="1.8" fill="${COLORS[o.type]}"/>`)
    .join('');
  return `${svgOpen(f, 'latency over time')}${faultBands(f, windows)}${grid}${timeAxis(f)}<g class="points">${points}</g>${legend()}</svg>`;
}

function legend(): string {
  return (['ok', 'fail', 'info'] as const)
    .map((t, i) => `<circle cx="${W - 150 + i * 48}" cy="10" r="4" fill="${COLORS[t]}"/><text x="${W - 143 + i * 48}" y="14" class="tick">${t}</text>`)
    .join('');
}

export function throughputChart(ops: readonly Op[], windows: readonly FaultWindow[], t1: number): string {
  const f = frame(0, t1, 200);
  const bucketNs = 1e9;
  const buckets = Math.max(1, Math.ceil(t1 / bucketNs));
  const counts = { ok: new Array<number>(buckets).fill(0), fail: new Array<number>(buckets).fill(0), info: new Array<number>(buckets).fill(0) };
  for (const o of ops) counts[o.type][Math.min(buckets - 1, Math.floor(o.end / bucketNs))]! += 1;
  const max = Math.max(1, ...counts.ok, ...counts.fail, ...counts.info);
  const y = (n: number): number => f.height - PAD.bottom - (n / max) * (f.height - PAD.top - PAD.bottom);
  const line = (series: number[], color: string): string =>
    `<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${series.map((n, i) => `${f.x((i + 0.5) * bucketNs).toFixed(1)},${y(n).toFixed(1)}`).join(' ')}"/>`;
  const ticks = [0, Math.round(max / 2), max]
    .map((n) => `<text x="${PAD.left - 6}" y="${y(n).toFixed(1)}" class="tick" text-anchor="end" dominant-baseline="middle">${n}/s</text>`)
    .join('');
  return `${svgOpen(f, 'throughput over time')}${faultBands(f, windows)}${ticks}${timeAxis(f)}${line(counts.ok, COLORS.ok)}${line(counts.fail, COLORS.fail)}${line(counts.info, COLORS.info)}${legend()}</svg>`;
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

/**
 * One anomaly on a per-process timeline: every operation on its key around the witness, the
 * witness operations outlined and numbered with their event indexes, fault windows shaded.
 */
/** The operations an anomaly's witness events belong to (an event is an invocation or a completion). */
export function witnessOps(anomaly: Anomaly, ops: readonly Op[]): Op[] {
  const witness = new Set(anomaly.witness);
  return ops.filter((o) => witness.has(o.invokeIndex) || (o.completeIndex !== null && witness.has(o.completeIndex)));
}

export function witnessTimeline(anomaly: Anomaly, ops: readonly Op[], windows: readonly FaultWindow[]): string {
  const witness = new Set(anomaly.witness);
  const proof = witnessOps(anomaly, ops);
  const proofSet = new Set(proof);
  const isWitness = (o: Op): boolean => proofSet.has(o);
  if (proof.length === 0) return `<p class="muted">No operation of this history matches the witness events ${esc(anomaly.witness.join(', '))}.</p>`;
  const from = Math.min(...proof.map((o) => o.start));
  const to = Math.max(...proof.map((o) => o.end));
  const margin = Math.max((to - from) * 0.3, 5e6);
  const t0 = Math.max(0, from - margin);
  const t1 = to + margin;
  const around = ops.filter((o) => o.key === anomaly.key && o.end >= t0 && o.start <= t1);
  const shown = [...new Set([...proof, ...around])];
  const processes = [...new Set([...proof.map((o) => o.process), ...around.map((o) => o.process)])].slice(0, 16);
  const proofProcesses = new Set(proof.map((o) => o.process));
  processes.sort((a, b) => Number(proofProcesses.has(b)) - Number(proofProcesses.has(a)) || a - b);
  const lane = 26;
  const f = frame(t0, t1, PAD.top + PAD.bottom + processes.length * lane + 6);
  const laneY = (p: number): number => PAD.top + processes.indexOf(p) * lane;
  const lanes = processes
    .map((p) => `<text x="${PAD.left - 6}" y="${laneY(p) + lane / 2}" class="tick" text-anchor="end" dominant-baseline="middle">p${p}</text><line x1="${PAD.left}" y1="${laneY(p) + lane - 1}" x2="${W - PAD.right}" y2="${laneY(p) + lane - 1}" class="grid"/>`)
    .join('');
  const bars = shown
    .filter((o) => processes.includes(o.process))
    .map((o) => {
      const x0 = Math.max(PAD.left, f.x(o.start));
      const x1 = Math.min(W - PAD.right, f.x(o.end));
      const w = Math.max(3, x1 - x0);
      const y = laneY(o.process) + 4;
      const mark = isWitness(o);
      const idx = [o.invokeIndex, o.completeIndex].filter((i): i is number => i !== null && witness.has(i));
      const tip = `${opLabel(o)} on ${o.key} · events ${o.invokeIndex}${o.completeIndex !== null ? `→${o.completeIndex}` : ''}${o.error ? ` · ${o.error}` : ''}`;
      return (
        `<g class="op${mark ? ' witness' : ''}"${mark ? ` data-witness="${idx.join(' ')}"` : ''}><title>${esc(tip)}</title>` +
        `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${lane - 10}" rx="3" fill="${COLORS[o.type]}" fill-opacity="${mark ? 0.95 : 0.35}"${mark ? ' stroke="#111" stroke-width="2"' : ''}${o.completeIndex === null ? ' stroke-dasharray="4 2"' : ''}/>` +
        (mark ? opText(x0, x1, y + lane / 2 - 1, `${opLabel(o)} [${idx.join(',')}]`) : '') +
        '</g>'
      );
    })
    .join('');
  return `${svgOpen(f, `witness of ${anomaly.kind} on ${anomaly.key}`)}${faultBands(f, windows)}${lanes}${timeAxis(f)}${bars}</svg>`;
}
