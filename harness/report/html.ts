// report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) that a
// person opens in the morning: the headline, the matrix, then every cell in detail.
import type { Anomaly } from '../../checkers/anomaly.ts';
import { replicaRowsHtml } from './replica-rows-view.ts';
import { asPaired, type FrameEvent, type HistoryEvent, type PairedHistory } from '../../history/index.ts';
import { latencyChart, PLOT_COLUMNS, throughputChart, witnessOps, witnessSpan, witnessTimeline, COLORS, type Span } from './charts.ts';
import { escapeMarkup as esc, escapeVisible } from './escape.ts';
import { drawnHistory, type DrawnHistory, type FaultWindow, type Op } from './ops.ts';
import { cellAnomaliesPath, type CellResult, type RunResults } from './results.ts';
import { countByKind, headline, matrixGrid } from './summary.ts';
import { cellAnchor } from './anchors.ts';
import { clockFamily } from '../nemesis/clock.ts';
import { parseNemesisSpec } from '../nemesis/index.ts';
import { linkFamily } from '../nemesis/link.ts';
import type { NemesisSpec } from '../core/cell.ts';

export interface CellReportInput {
  result: CellResult;
  /**
   * The history's events other than its operations (meta line, fault edges, replica forensics,
   * end line), in order; empty when the history could not be read.
   */
  events: readonly FrameEvent[];
  /** What the pages draw of the history; absent when it could not be read (the cell still gets its section). */
  history?: DrawnHistory;
  /** The linearizability checker's own visualization (an HTML fragment it escaped itself), if any. */
  linearizabilityHtml?: string;
}

/** A cell's input from its result and its history: the events, or the history already paired. */
export function cellReportInput(result: CellResult, history: readonly HistoryEvent[] | PairedHistory): CellReportInput {
  const paired = asPaired(history);
  return { result, events: paired.frame, history: drawnHistory(paired, result.anomalies) };
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px} h3{font-size:15px;margin:18px 0 6px}
.headline{font-size:16px;background:#fff;border-left:4px solid #1d3557;padding:12px 16px;margin:16px 0}
.muted{color:#6b7280} code{background:#eef0f4;padding:0 4px;border-radius:3px}
table.matrix{border-collapse:collapse;background:#fff} table.matrix th,table.matrix td{border:1px solid #d9dce3;padding:6px;vertical-align:top}
table.matrix th{background:#eef0f4;font-weight:600;text-align:left}
table.matrix caption{text-align:left;font-size:13px;padding:4px 0;caption-side:top} .axis{color:#6b7280}
.matrix-set{width:fit-content;max-width:100%}
.small-multiples{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-start} .small-multiples>p{flex-basis:100%;margin:0}
.small-multiples table.matrix th,.small-multiples table.matrix td{padding:3px 4px} .small-multiples .mcell{min-width:118px;padding:5px 7px;margin:0}
.small-multiples .kinds{margin:2px 0}
.mcell{display:block;min-width:150px;padding:8px;border-radius:6px;color:#111;text-decoration:none;margin:2px 0}
.mcell .verdict{font-weight:700;text-transform:uppercase;letter-spacing:.04em}
.v-safe{background:#cdeee4} .v-unsafe{background:#f7c9cc} .v-unknown{background:#fbe7b5}
span.v-unsafe,span.v-unknown{padding:0 4px;border-radius:3px}
.kinds{margin:4px 0;padding:0;list-style:none;font-size:13px} .stats{font-size:12px;color:#374151}
.expect{font-size:12px;font-weight:600} .expect.met{color:#1b6e5a} .expect.broken{color:#b3121f}
section.cell{background:#fff;border:1px solid #d9dce3;border-radius:8px;padding:4px 18px 14px;margin:18px 0}
section.cell>h2 .badge{font-size:12px;padding:2px 8px;border-radius:10px;margin-left:8px;vertical-align:middle}
dl.params{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:13px;margin:8px 0} dl.params dt{color:#6b7280}
svg{display:block;background:#fff} svg .axis{stroke:#6b7280} svg .grid{stroke:#eceef2} svg text{font:11px system-ui,sans-serif;fill:#374151}
svg .fault-label{font-size:10px;fill:#4b5563} svg .op-label{font-size:10px;fill:#111;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
.anomaly{border-left:4px solid ${COLORS.info};padding:4px 12px;margin:12px 0;background:#fdf6f6}
.confidence{background:#eef8f4;border-left:4px solid ${COLORS.ok};padding:8px 12px}
ol.witness-ops{font-size:12px;margin:6px 0 0;padding-left:22px} .linearizability{margin:12px 0}
.error{background:#fdecec;border-left:4px solid #b3121f;padding:8px 12px;white-space:pre-wrap}
details>summary{cursor:pointer;color:#1d3557}
`;

const ms = (n: number): string => (Math.abs(n) >= 1000 && n % 100 === 0 ? `${n / 1000} s` : `${n} ms`);

/** A timestamp mode (as results.json records it) in words. */
export function timestampWords(mode: unknown): string {
  const m = (typeof mode === 'object' && mode !== null ? mode : {}) as { kind?: unknown; offsetMs?: unknown; unitMs?: unknown };
  switch (m.kind) {
    case 'server':
      return 'server (each node stamps its own writes)';
    case 'driver':
      return 'driver (the client clock stamps every write)';
    case 'skewed':
      return typeof m.offsetMs === 'number' ? `driver, clock skewed by ${m.offsetMs >= 0 ? '+' : '−'}${ms(Math.abs(m.offsetMs))}` : 'driver, clock skewed';
    case 'quantized':
      return typeof m.unitMs === 'number' ? `driver, rounded down to ${ms(m.unitMs)}` : 'driver, rounded down';
    case 'tie':
      return 'tie (each plain write carries the newest timestamp its row already has)';
    default:
      return typeof mode === 'string' ? mode : JSON.stringify(mode);
  }
}

const WHICH: Record<string, string> = { one: 'one', all: 'every', any: 'any' };

/** Words for the nemesis params the chosen faults use; keys no fault here reads are left out. */
function paramWords(faults: readonly string[], params: Record<string, unknown>): string[] {
  const has = (f: string): boolean => faults.includes(f);
  const link = linkFamily.faults.some(has);
  const clock = clockFamily.faults.some(has);
  const words: string[] = [];
  for (const [key, v] of Object.entries(params)) {
    if (key === 'linkTargets') {
      if (link) words.push(`${WHICH[String(v)] ?? String(v)} link`);
    } else if (key === 'latencyMs') {
      if (has('latency') && typeof v === 'number') words.push(`latency +${ms(v)}`);
    } else if (key === 'resetStream') {
      if (has('reset')) words.push(`reset ${v === 'any' ? 'either direction' : String(v)}`);
    } else if (key === 'replyLostMs') {
      if (has('reply-lost-then-down') && typeof v === 'number') words.push(`replies lost ${ms(v)} before the link goes down`);
    } else if (key === 'skewTargets') {
      if (clock) words.push(`skew on ${WHICH[String(v)] ?? String(v)} node`);
    } else if (key === 'maxSkewMs') {
      if (clock && typeof v === 'number') words.push(`up to ${ms(v)}`);
    } else if (key === 'skewDirection') {
      if (clock) words.push(v === 'both' ? 'either direction' : String(v));
    } else {
      words.push(`${key} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    }
  }
  return words;
}

/**
 * A nemesis mix (as results.json records it) in words, e.g. `reply-lost, request-lost, link-down —
 * 4 s on / 4 s off, any link`: fault families spelled out as their faults, defaults filled in.
 */
export function faultMixWords(spec: unknown): string {
  if (spec === null || spec === undefined) return 'none';
  const raw = spec as NemesisSpec;
  let settings: { faults: string[]; onMs: number; offMs: number; params: Record<string, unknown> };
  try {
    settings = parseNemesisSpec(raw);
  } catch {
    // A mix this lockstorm no longer knows (an older run): its names as recorded.
    const faults = Array.isArray(raw.faults) ? raw.faults.map(String) : [];
    const timing = typeof raw.onMs === 'number' && typeof raw.offMs === 'number' ? ` — ${ms(raw.onMs)} on / ${ms(raw.offMs)} off` : '';
    return faults.length ? `${faults.join(', ')}${timing}` : JSON.stringify(spec);
  }
  const extra = paramWords(settings.faults, settings.params);
  return `${settings.faults.join(', ')} — ${ms(settings.onMs)} on / ${ms(settings.offMs)} off${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

function paramList(cell: CellResult): string {
  const p = cell.params;
  const show = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  const mix = p.nemesis === null || p.nemesis === undefined ? 'none' : faultMixWords(p.nemesis);
  const rows: [string, unknown][] = [
    ['recipe', p.recipe],
    ['write / read / serial CL', `${show(p.writeCl)} / ${show(p.readCl)} / ${show(p.serialCl)}`],
    ['paxos variant', p.paxosVariant],
    ['TTL', `${show(p.ttlSeconds)} s`],
    ['timestamps', timestampWords(p.timestamps)],
    ['nemesis', cell.axes?.nemesis && cell.axes.nemesis !== 'none' && mix !== 'none' ? `${cell.axes.nemesis}: ${mix}` : mix],
    ['clients × keys', `${show(p.clients)} × ${show(p.keys)}`],
    ['duration · op timeout', `${Number(p.durationMs) / 1000} s · ${show(p.opTimeoutMs)} ms`],
    ['seed', p.seed],
    ['history', cell.history],
  ];
  return `<dl class="params">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(show(v))}</dd>`).join('')}</dl>`;
}

function confidence(cell: CellResult, windows: readonly FaultWindow[]): string {
  const faults = [...new Set(windows.map((w) => w.fault))];
  return (
    `<p class="confidence"><b>Confidence.</b> The <b>safe</b> verdict rests on ${cell.confidence.ops} operations ` +
    `(${cell.ops.ok} ok, ${cell.ops.fail} fail, ${cell.ops.info} info) and ${cell.confidence.fault_windows} fault window${cell.confidence.fault_windows === 1 ? '' : 's'} ` +
    `totalling ${cell.confidence.fault_seconds} s${faults.length ? ` (${esc(faults.join(', '))})` : ' (no faults were injected)'}. ` +
    `It says no anomaly was found in this history, not that none can happen.</p>`
  );
}

/** Witness timelines drawn in full per anomaly kind and cell; the rest are listed one line each. */
export const DRAWN_PER_KIND = 3;

/** The first `perKind` anomalies of each kind, in the order found. */
function firstOfEachKind(anomalies: readonly Anomaly[], perKind: number): Set<Anomaly> {
  const seen = new Map<string, number>();
  const first = new Set<Anomaly>();
  for (const a of anomalies) {
    const n = seen.get(a.kind) ?? 0;
    if (n < perKind) first.add(a);
    seen.set(a.kind, n + 1);
  }
  return first;
}

/** The anomalies whose witness is drawn in full: the first few of each kind, in the order found. */
export function drawnAnomalies(anomalies: readonly Anomaly[]): Set<Anomaly> {
  return firstOfEachKind(anomalies, DRAWN_PER_KIND);
}

/** Anomalies listed one line each on the page per kind and cell, after the drawn ones; the rest are on the cell's anomaly page. */
export const LISTED_PER_KIND = 40;

/** The anomalies report.html shows (drawn or listed); every one of them is on the cell's anomaly page. */
export function anomaliesOnPage(anomalies: readonly Anomaly[]): Set<Anomaly> {
  return firstOfEachKind(anomalies, DRAWN_PER_KIND + LISTED_PER_KIND);
}

/** One anomaly in one line: its key, owners and witness events, under an id naming its place in results.json. */
function anomalyLine(cellName: string, a: Anomaly, index: number): string {
  const events = a.witness.length > 8 ? `${a.witness.slice(0, 8).join(', ')}, … (${a.witness.length})` : a.witness.join(', ');
  return `<li id="${anomalyId(cellName, index)}" data-kind="${esc(a.kind)}"><code>${esc(a.key)}</code>${a.owners.length ? ` ${esc(a.owners.join(', '))}` : ''}: ${esc(events)}${replicaRowsHtml(a)}</li>`;
}

/** The lines of `listed`, grouped by kind in the order the kinds were first found. */
function anomalyLines(cellName: string, all: readonly Anomaly[], listed: ReadonlySet<Anomaly>): string {
  const byKind = new Map<string, string[]>();
  all.forEach((a, i) => {
    if (!listed.has(a)) return;
    const lines = byKind.get(a.kind) ?? [];
    lines.push(anomalyLine(cellName, a, i));
    byKind.set(a.kind, lines);
  });
  return [...byKind].map(([kind, lines]) => `<h4>${esc(kind)}</h4><ul class="more-anomalies">${lines.join('')}</ul>`).join('');
}

function anomalies(cell: CellResult, ops: readonly Op[], windows: readonly FaultWindow[], drawn: ReadonlySet<Anomaly>): string {
  if (cell.anomalies.length === 0) return '';
  // Each anomaly shown here has its own element, id'd by its place in results.json's list; past a
  // few dozen of a kind the rest are on the cell's own page, so the report's size does not grow
  // with the number of anomalies.
  const full = cell.anomalies.flatMap((a, i) => (drawn.has(a) ? [{ a, i }] : []));
  const shown = anomaliesOnPage(cell.anomalies);
  const listed = new Set(cell.anomalies.filter((a) => shown.has(a) && !drawn.has(a)));
  const elsewhere = cell.anomalies.length - shown.size;
  return (
    `<h3>Anomalies (${cell.anomalies.length}: ${esc(countByKind(cell).map(([k, n]) => `${n} ${k}`).join(', '))})</h3>` +
    full
      .map(
        ({ a, i }) =>
          `<div class="anomaly" id="${anomalyId(cell.name, i)}" data-kind="${esc(a.kind)}"><p><b>${esc(a.kind)}</b> on key <code>${esc(a.key)}</code>` +
          `${a.owners.length ? `, owners ${a.owners.map((o) => `<code>${esc(o)}</code>`).join(', ')}` : ''}: ${esc(a.explanation)}</p>` +
          `<p class="muted">Witness: history events ${esc(a.witness.join(', '))} (outlined below, with their indexes).</p>${replicaRowsHtml(a)}${witnessTimeline(a, ops, windows)}${witnessList(a, ops)}</div>`,
      )
      .join('') +
    (listed.size
      ? `<p class="muted">${listed.size} more, one line each (key, owners: witness events; timelines are drawn for the first ${DRAWN_PER_KIND} of each kind):</p>${anomalyLines(cell.name, cell.anomalies, listed)}`
      : '') +
    (elsewhere > 0
      ? `<p class="more-elsewhere">${elsewhere} more past the first ${DRAWN_PER_KIND + LISTED_PER_KIND} of each kind: <a href="${esc(encodeURI(cellAnomaliesPath(cell.name)))}">every anomaly of this cell, one line each</a>.</p>`
      : '')
  );
}

/** A cell's page of every anomaly, one line each, by kind (beside its history, linked from report.html). */
export function renderCellAnomalies(runName: string, cell: CellResult): string {
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${esc(`lockstorm · ${runName} · ${cell.name} · anomalies`)}</title><style>${CSS}</style></head><body><main>` +
    `<h1>${esc(cell.name)}: ${cell.anomalies.length} anomalies</h1>` +
    `<p class="muted">Of run ${esc(runName)}; <a href="../../${esc(encodeURI(`report.html#${cellAnchor(cell.name)}`))}">the cell in report.html</a>. One line each: key, owners: witness events (indexes into history.jsonl beside this page). ` +
    `${esc(countByKind(cell).map(([k, n]) => `${n} ${k}`).join(', '))}.</p>` +
    anomalyLines(cell.name, cell.anomalies, new Set(cell.anomalies)) +
    '</main></body></html>\n'
  );
}

/** The page element of a cell's anomaly, by its index in the cell's list in results.json. */
export function anomalyId(cellName: string, index: number): string {
  return `anomaly-${cellAnchor(cellName)}-${index}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** One sentence on what the charts left out, so a reader never takes a summary for the whole. */
function summarised(total: number, exact: number, bucketNs: number, buckets: number, anomalyCount: number, drawn: number): string {
  const parts: string[] = [];
  if (exact < total) {
    parts.push(
      `${count(exact)} of ${count(total)} operations drawn one by one${exact ? ' (those around the drawn witnesses)' : ''}; the other ${count(total - exact)} as the min–max latency of each outcome per pixel column (${PLOT_COLUMNS} columns)`,
    );
  }
  if (bucketNs !== 1e9) parts.push(`throughput averaged over ${buckets} columns of ${(bucketNs / 1e9).toPrecision(3)} s`);
  if (drawn < anomalyCount) parts.push(`witness timelines drawn for ${count(drawn)} of ${count(anomalyCount)} anomalies, the rest listed (past ${DRAWN_PER_KIND + LISTED_PER_KIND} of a kind, on the anomaly page of the cell)`);
  if (!parts.length) return '';
  return `<p class="muted summarised" data-drawn="${exact}" data-total="${total}">Summarised: ${esc(parts.join('; '))}.</p>`;
}

/** The witness operations as text, in time order: what the picture shows, readable and copyable. */
function witnessList(anomaly: Anomaly, ops: readonly Op[]): string {
  const rows = witnessOps(anomaly, ops).map((o) => {
    const events = `${o.invokeIndex}${o.completeIndex === null ? ' (never completed)' : `→${o.completeIndex}`}`;
    const when = `${(o.start / 1e9).toFixed(3)}s–${(o.end / 1e9).toFixed(3)}s`;
    return `<li>p${o.process}${o.node ? ` via ${esc(o.node)}` : ''}: <b>${esc(o.f)}</b>${o.owner ? ` ${esc(o.owner)}` : ''} on <code>${esc(o.key)}</code> → ${esc(o.type)}${o.final ? ' (final read)' : ''}, events ${events}, ${when}${o.error ? ` · ${esc(o.error)}` : ''}</li>`;
  });
  return rows.length ? `<ol class="witness-ops">${rows.join('')}</ol>` : '';
}

function cellSection(input: CellReportInput, maxPoints: number): string {
  const { result: cell, history } = input;
  const ops = history?.ops ?? [];
  const workload = ops.filter((o) => !o.final);
  const windows = history?.windows ?? [];
  const end = history?.end ?? 0;
  const drawn = drawnAnomalies(cell.anomalies);
  const keep: Span[] = [];
  for (const a of drawn) {
    const span = witnessSpan(witnessOps(a, ops));
    if (span) keep.push(span);
  }
  const badge = `<span class="badge v-${esc(cell.verdict)}">${esc(cell.verdict)}</span><span class="badge expect ${cell.met ? 'met' : 'broken'}">${cell.met ? 'expectation met' : 'expectation broken'}: ${esc(cell.expectation)}</span>`;
  let charts = '<p class="muted">No history was recorded for this cell.</p>';
  if (history) {
    const latency = latencyChart(workload, windows, end, maxPoints, keep);
    const throughput = throughputChart(workload, windows, end);
    charts =
      summarised(latency.total, latency.exact, throughput.bucketNs, throughput.buckets, cell.anomalies.length, drawn.size) +
      `<h3>Latency per operation</h3>${latency.svg}<h3>Throughput (completions per second)</h3>${throughput.svg}`;
  }
  const body = [
    paramList(cell),
    cell.error !== undefined ? `<p class="error">lockstorm could not finish this cell: ${esc(cell.error)}</p>` : '',
    cell.verdict_reason !== undefined && cell.verdict_reason !== cell.error ? `<p class="error verdict-reason">Verdict <b>unknown</b>: ${esc(cell.verdict_reason)}</p>` : '',
    cell.verdict === 'safe' && cell.error === undefined ? confidence(cell, windows) : '',
    typeof cell.first_anomaly_s === 'number' ? `<p class="first-anomaly">First anomaly proven ${cell.first_anomaly_s.toFixed(3)} s into the cell.</p>` : '',
    cell.not_judged?.length ? `<p class="not-judged"><b>Not judged.</b> ${cell.not_judged.map(esc).join('; ')}</p>` : '',
    cell.client_errors?.length ? `<p class="client-errors"><b>Client protocol failures</b> (each recorded <code>info</code>, the client killed and replaced): ${cell.client_errors.map(esc).join('; ')}</p>` : '',
    charts,
    anomalies(cell, ops, windows, drawn),
    input.linearizabilityHtml
      ? // Collapsed unless the search itself found the history illegal: for a clean cell it is long and tells little.
        // The fragment escaped its markup itself; controls and bidi characters in it are shown as well.
        `<details class="linearizability"${cell.anomalies.some((a) => a.kind === 'non-linearizable') ? ' open' : ''}><summary>Linearizability: the lock model's search, per key (a window of it here; <code>lockstorm check --html</code> on the history draws more)</summary>${escapeVisible(input.linearizabilityHtml, { keepLayout: true })}</details>`
      : '',
  ];
  return `<section class="cell" id="${cellAnchor(cell.name)}"><h2>${esc(cell.name)}${badge}</h2>${body.join('')}</section>`;
}

export function renderReport(results: RunResults, cells: readonly CellReportInput[], generatedAt: string): string {
  const met = results.cells.filter((c) => c.met).length;
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${esc(`lockstorm · ${results.name}`)}</title><style>${CSS}</style></head><body><main>` +
    `<h1>lockstorm · ${esc(results.name)}</h1><p class="muted">${esc(results.run)} · generated ${esc(generatedAt)} · ${met} of ${results.cells.length} expectations met</p>` +
    `<p class="headline" id="headline">${headline(results.cells)}</p>` +
    `<h2>The matrix</h2>${matrixGrid(results.cells)}` +
    // A nightly report has dozens of cells: fewer points each keeps the file quick to open.
    cells.map((c) => cellSection(c, Math.min(6000, Math.max(1500, Math.floor(60_000 / Math.max(1, cells.length)))))).join('') +
    '</main></body></html>\n'
  );
}
