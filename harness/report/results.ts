// One cell's history + its analysis → the cell's entry in results.json. Pure; field names are the
// interface of issue 6 (`name, params, verdict, expectation, met, anomalies, ops, latency_ms,
// availability`); the extra fields (axes, confidence, error, history) only add.
import type { Anomaly, Verdict } from '../../checkers/anomaly.ts';
import type { HistoryEvent, JsonValue } from '../history/events.ts';
import type { PlannedCell } from '../config/expand.ts';
import type { Axis, Expectation } from '../config/schema.ts';
import { faultWindows, pairOps, type Op } from './ops.ts';

export interface Analysis {
  verdict: Verdict;
  anomalies: Anomaly[];
  ops: { ok: number; fail: number; info: number };
}

export interface CellResult {
  name: string;
  params: Record<string, JsonValue>;
  verdict: Verdict;
  expectation: Expectation;
  met: boolean;
  anomalies: Anomaly[];
  ops: { ok: number; fail: number; info: number };
  /** Over workload operations that got an answer (ok or fail); null when there were none. */
  latency_ms: { p50: number | null; p99: number | null };
  /** Share of workload operations the cluster answered (ok, or a definite refusal such as an unapplied LWT). */
  availability: number | null;
  axes: Record<Axis, string>;
  /** What a `safe` verdict rests on: how much was tried, under how many faults. */
  confidence: { ops: number; fault_windows: number; fault_seconds: number };
  /** Path of the history, relative to the results folder. */
  history: string;
  /** Set when lockstorm itself could not run or check the cell (exit 2). */
  error?: string;
}

export interface RunResults {
  name: string;
  /** The run's folder name, `<timestamp>-<name>`. */
  run: string;
  met: boolean;
  cells: CellResult[];
}

export function cellHistoryPath(name: string): string {
  return `cells/${name}/history.jsonl`;
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i]! * 100) / 100;
}

/** A fail that carries a driver error means the cluster refused to answer; an unapplied LWT does not. */
export function answered(op: Op): boolean {
  return op.type === 'ok' || (op.type === 'fail' && op.error === undefined);
}

export function cellParamsJson(cell: PlannedCell): Record<string, JsonValue> {
  const { name: _name, ...params } = cell.params;
  return JSON.parse(JSON.stringify({ ...params, paxosVariant: cell.server.paxosVariant, server: cell.server })) as Record<string, JsonValue>;
}

export function expectationMet(expectation: Expectation, verdict: Verdict): boolean {
  return expectation === 'unsafe-allowed' || verdict === 'safe';
}

export function summarizeCell(cell: PlannedCell, events: readonly HistoryEvent[], analysis: Analysis): CellResult {
  const workload = pairOps(events).filter((op) => !op.final);
  const latencies = workload
    .filter((op) => op.type !== 'info')
    .map((op) => (op.end - op.start) / 1e6)
    .sort((a, b) => a - b);
  const windows = faultWindows(events);
  return {
    name: cell.params.name,
    params: cellParamsJson(cell),
    verdict: analysis.verdict,
    expectation: cell.expectation,
    met: expectationMet(cell.expectation, analysis.verdict),
    anomalies: analysis.anomalies,
    ops: { ok: analysis.ops.ok, fail: analysis.ops.fail, info: analysis.ops.info },
    latency_ms: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    availability: workload.length ? Math.round((workload.filter(answered).length / workload.length) * 10000) / 10000 : null,
    axes: cell.axes,
    confidence: {
      ops: workload.length,
      fault_windows: windows.length,
      fault_seconds: Math.round(windows.reduce((s, w) => s + (w.end - w.start), 0) / 1e7) / 100,
    },
    history: cellHistoryPath(cell.params.name),
  };
}

/** A cell lockstorm could not run or check: unknown, never met, and the reason kept. */
export function failedCell(cell: PlannedCell, error: string): CellResult {
  return {
    name: cell.params.name,
    params: cellParamsJson(cell),
    verdict: 'unknown',
    expectation: cell.expectation,
    met: false,
    anomalies: [],
    ops: { ok: 0, fail: 0, info: 0 },
    latency_ms: { p50: null, p99: null },
    availability: null,
    axes: cell.axes,
    confidence: { ops: 0, fault_windows: 0, fault_seconds: 0 },
    history: cellHistoryPath(cell.params.name),
    error,
  };
}

/** 0 every expectation met; 1 one broken; 2 lockstorm could not run or check a cell. */
export function exitCodeFor(results: RunResults): 0 | 1 | 2 {
  if (results.cells.some((c) => c.error !== undefined)) return 2;
  return results.cells.every((c) => c.met) ? 0 : 1;
}
