// A self-contained view of a checked history: one row per process, each operation a box along
// an ordinal time axis, the linearization found (or the longest partial one) numbered, and the
// operation that could not be placed in red. Hover a box for details (SVG <title>: no script,
// works offline). Everything from the history is escaped.

import type { AnyModel, AnyOperation, CheckResult } from '../linearizability/types.ts';

export interface LinearizationView {
  title: string;
  model: AnyModel;
  ops: readonly AnyOperation[];
  result: CheckResult;
  /** Operations drawn per partition at most (a window around the interesting part). */
  maxOps?: number;
  /** Partitions drawn at most. */
  maxPartitions?: number;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
.lz { font: 12px system-ui, sans-serif; color: #222; }
.lz h3 { font-size: 14px; margin: 12px 0 4px; }
.lz .verdict-ok { color: #17692e; } .lz .verdict-illegal { color: #b3261e; } .lz .verdict-unknown { color: #8a6d00; }
.lz .scroll { overflow-x: auto; border: 1px solid #ddd; }
.lz svg text { font: 11px system-ui, sans-serif; }
.lz rect.op { fill: #e8e8e8; stroke: #999; }
.lz rect.op.lin { fill: #cfe8d4; stroke: #3c8a50; }
.lz rect.op.info { stroke-dasharray: 4 2; }
.lz rect.op.stuck { fill: #f7c6c2; stroke: #b3261e; stroke-width: 2; }
.lz g.box:hover rect.op { stroke: #000; stroke-width: 2; }
.lz .legend span { display: inline-block; padding: 1px 6px; margin-right: 8px; border: 1px solid #999; }
`;

interface Section {
  key: string;
  order: number[];
  stuck?: number;
  members: number[];
}

/** An HTML fragment (a <div class="lz"> with its own <style>) to embed in a report. */
export function renderLinearizationHtml(view: LinearizationView): string {
  const { model, ops, result } = view;
  const maxOps = view.maxOps ?? 400;
  const byKey = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const key = model.partition ? model.partition(op.input) : '';
    const list = byKey.get(key) ?? [];
    list.push(i);
    byKey.set(key, list);
  });
  const sections: Section[] = [];
  if (result.verdict === 'illegal') {
    const p = result.partial[0]!;
    sections.push({ key: p.key, order: p.order, stuck: p.stuck, members: byKey.get(p.key) ?? [] });
  }
  for (const l of result.linearizations) {
    if (sections.length >= (view.maxPartitions ?? 4)) break;
    sections.push({ key: l.key, order: l.order, members: byKey.get(l.key) ?? [] });
  }
  const heading = `<h3>${escapeHtml(view.title)} — model ${escapeHtml(model.name)}: <span class="verdict-${result.verdict}">${result.verdict}</span></h3>`;
  const summary =
    result.verdict === 'illegal'
      ? `<p>${escapeHtml(partitionName(result.partial[0]!.key))}: the longest partial linearization has ${result.partial[0]!.order.length} operations; the red operation (p${ops[result.partial[0]!.stuck]!.process} ${escapeHtml(describe(model, ops[result.partial[0]!.stuck]!))}) cannot follow it.</p>`
      : result.verdict === 'unknown'
        ? `<p>${escapeHtml(result.reason)}; still searching: ${escapeHtml(result.pending.slice(0, 20).join(', '))}.</p>`
        : `<p>${result.partitions} partition(s), ${result.ops} operations, all linearizable.</p>`;
  const legend = `<p class="legend"><span style="background:#cfe8d4">linearized (number = position)</span><span style="background:#e8e8e8">not linearized</span><span style="background:#f7c6c2">could not be placed</span><span style="border-style:dashed">info (outcome unknown)</span></p>`;
  const body = sections.map((s) => renderSection(view, s, maxOps)).join('\n');
  return `<div class="lz"><style>${CSS}</style>${heading}${summary}${legend}${body}</div>`;
}

function renderSection(view: LinearizationView, s: Section, maxOps: number): string {
  const { model, ops } = view;
  const position = new Map<number, number>();
  s.order.forEach((op, k) => position.set(op, k + 1));
  // States after each linearized op, for the tooltips.
  const stateAfter = new Map<number, string>();
  if (model.describeState) {
    let st = model.init();
    for (const i of s.order) {
      const op = ops[i]!;
      const next = model.step(st, op.input, op.outcome === 'ok' ? op.output : undefined);
      if (next === undefined) break;
      st = next;
      stateAfter.set(i, model.describeState(st));
    }
  }
  let members = [...s.members].sort((a, b) => ops[a]!.call - ops[b]!.call);
  let note = '';
  if (members.length > maxOps) {
    // Show a window ending at the stuck op (or the end of the linearization).
    const focus = s.stuck ?? s.order[s.order.length - 1] ?? members[0]!;
    const at = Math.max(0, members.indexOf(focus));
    const end = Math.min(members.length, at + Math.ceil(maxOps / 4));
    const start = Math.max(0, end - maxOps);
    note = `<p>Showing operations ${start + 1}–${end} of ${members.length} (by call time).</p>`;
    members = members.slice(start, end);
  }
  const times = new Set<number>();
  for (const i of members) {
    const op = ops[i]!;
    times.add(op.call);
    if (op.outcome === 'ok') times.add(op.return);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const slot = new Map(sorted.map((t, k) => [t, k]));
  const processes = [...new Set(members.map((i) => ops[i]!.process))].sort((a, b) => a - b);
  const row = new Map(processes.map((p, k) => [p, k]));
  const unit = 44;
  const rowH = 26;
  const left = 70;
  const width = left + (sorted.length + 2) * unit;
  const height = processes.length * rowH + 10;
  const boxes = members.map((i) => {
    const op = ops[i]!;
    const x = left + slot.get(op.call)! * unit;
    const x2 = op.outcome === 'ok' ? left + slot.get(op.return)! * unit + unit : width - 4;
    const y = row.get(op.process)! * rowH + 4;
    const label = describe(model, op);
    const pos = position.get(i);
    const cls = ['op', pos !== undefined ? 'lin' : '', op.outcome === 'info' ? 'info' : '', i === s.stuck ? 'stuck' : ''].filter(Boolean).join(' ');
    const details = [
      label,
      `process ${op.process}${op.outcome === 'info' ? ', outcome unknown (info)' : ''}`,
      `call ${op.call}${op.outcome === 'ok' ? `, return ${op.return}` : ''}`,
      pos !== undefined ? `linearized #${pos}${stateAfter.has(i) ? `, state after: ${stateAfter.get(i)}` : ''}` : i === s.stuck ? 'could not be placed after the longest partial linearization' : 'not linearized',
      op.ref ? `source: ${op.ref.join(', ')}` : '',
    ].filter(Boolean);
    const text = `${pos !== undefined ? `#${pos} ` : ''}${label}`;
    return `<g class="box"><title>${escapeHtml(details.join('\n'))}</title><rect class="${cls}" x="${x}" y="${y}" width="${Math.max(8, x2 - x - 2)}" height="${rowH - 6}" rx="3"/><text x="${x + 3}" y="${y + 14}" clip-path="inset(0)">${escapeHtml(truncate(text, Math.max(2, Math.floor((x2 - x) / 6.5))))}</text></g>`;
  });
  const labels = processes.map((p) => `<text x="4" y="${row.get(p)! * rowH + 18}">p${p}</text>`);
  const title = `<h3>${escapeHtml(partitionName(s.key))}</h3>`;
  return `${title}${note}<div class="scroll"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${labels.join('')}${boxes.join('')}</svg></div>`;
}

function partitionName(key: string): string {
  return key === '' ? 'Whole history' : `Key ${JSON.stringify(key)}`;
}

function describe(model: AnyModel, op: AnyOperation): string {
  const output = op.outcome === 'ok' ? op.output : undefined;
  return model.describeOperation ? model.describeOperation(op.input, output) : JSON.stringify(op.input);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}

/** A whole offline HTML document holding one or more fragments. */
export function renderHtmlPage(title: string, fragments: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${fragments.join('\n<hr>\n')}</body></html>\n`;
}
