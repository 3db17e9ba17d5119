// Two runs' results → the cells whose verdict, expectation result (`met`) or anomaly kinds
// changed, matched by cell name. Worse means a cell that met its expectation in A no longer does
// in B, or is missing from B. Pure.
import type { CellResult, RunResults } from '../report/results.ts';

export interface CellSide {
  verdict: CellResult['verdict'];
  met: boolean;
  /** Distinct anomaly kinds, sorted. */
  anomalies: string[];
}

export interface CellChange {
  cell: string;
  /** `changed`: in both runs, something differs; `only-in-a` / `only-in-b`: the cell is in one run only. */
  change: 'changed' | 'only-in-a' | 'only-in-b';
  a: CellSide | null;
  b: CellSide | null;
  worse: boolean;
}

export interface RunDiff {
  a: string;
  b: string;
  worse: boolean;
  changes: CellChange[];
}

function side(c: CellResult): CellSide {
  return { verdict: c.verdict, met: c.met, anomalies: [...new Set(c.anomalies.map((x) => x.kind))].sort() };
}

const same = (x: CellSide, y: CellSide): boolean => x.verdict === y.verdict && x.met === y.met && x.anomalies.join() === y.anomalies.join();

export function diffRuns(a: RunResults, b: RunResults): RunDiff {
  const inB = new Map(b.cells.map((c) => [c.name, c]));
  const inA = new Map(a.cells.map((c) => [c.name, c]));
  const changes: CellChange[] = [];
  for (const ca of a.cells) {
    const cb = inB.get(ca.name);
    const sa = side(ca);
    if (cb === undefined) {
      changes.push({ cell: ca.name, change: 'only-in-a', a: sa, b: null, worse: sa.met });
      continue;
    }
    const sb = side(cb);
    if (!same(sa, sb)) changes.push({ cell: ca.name, change: 'changed', a: sa, b: sb, worse: sa.met && !sb.met });
  }
  for (const cb of b.cells) if (!inA.has(cb.name)) changes.push({ cell: cb.name, change: 'only-in-b', a: null, b: side(cb), worse: false });
  return { a: a.run, b: b.run, worse: changes.some((c) => c.worse), changes };
}

function describe(s: CellSide): string {
  return `${s.verdict}, ${s.met ? 'met' : 'not met'}${s.anomalies.length ? `, ${s.anomalies.join(' ')}` : ''}`;
}

/** One line per change, worse ones marked, then a closing line saying whether anything got worse. */
export function diffText(d: RunDiff): string {
  const lines = d.changes.map((c) => {
    const mark = c.worse ? 'WORSE ' : '';
    if (c.change === 'only-in-a') return `${mark}${c.cell}: only in A (${describe(c.a!)})${c.worse ? '; missing in B, where it no longer meets its expectation' : ''}`;
    if (c.change === 'only-in-b') return `${c.cell}: only in B (${describe(c.b!)})`;
    return `${mark}${c.cell}: ${describe(c.a!)} → ${describe(c.b!)}`;
  });
  const worse = d.changes.filter((c) => c.worse).length;
  const tail =
    d.changes.length === 0
      ? `no cell changed between ${d.a} and ${d.b}`
      : worse > 0
        ? `${worse} cell${worse === 1 ? '' : 's'} worse in ${d.b} than in ${d.a}`
        : `${d.changes.length} change${d.changes.length === 1 ? '' : 's'}, none worse`;
  return [...lines, tail].join('\n') + '\n';
}
