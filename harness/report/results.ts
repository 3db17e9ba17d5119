// One cell's history + its analysis → the cell's entry in results.json. Pure; field names are
// the interface readers of results.json rely on (`name, params, verdict, expectation, met,
// anomalies, ops, latency_ms, availability`); the extra fields (axes, confidence, error,
// verdict_reason, history) only add.
import { clientErrors } from './client-errors.ts';
import type { Anomaly, Verdict } from '../../checkers/anomaly.ts';
import type { Analysis, OutcomeCounts } from '../../checkers/lock/analyze.ts';
import { asPaired, type EndEvent, type HistoryEvent, type JsonValue, type PairedHistory } from '../../history/index.ts';
import type { PlannedCell } from '../config/expand.ts';
import type { Axis, Expectation } from '../config/schema.ts';
import { eventTimes, faultWindows, type Op } from './ops.ts';
import { withReplicaRows } from '../../checkers/lock/replica-rows.ts';
import { releaseMismatch } from '../core/server-version.ts';

export type { Analysis } from '../../checkers/lock/analyze.ts';

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
  /** Why the verdict is `unknown`; set exactly when it is. */
  verdict_reason?: string;
  /** Cassandra release the cell asked for, and what each node's system.local reported (withServerVersion). */
  server_version?: string;
  release_version?: Record<string, string>;
  /**
   * Seconds from the cell's start (its meta line) to the event that completes the witness of its
   * earliest anomaly: how soon the recipe broke. Null when there is no anomaly.
   */
  first_anomaly_s?: number | null;
  /** What a checker did not judge, and why (e.g. `torn-row: no statement records`): never "none found". */
  not_judged?: string[];
  /** An external client's protocol failures, one line per kind with the operations it cost (./client-errors.ts). */
  client_errors?: string[];
  /** The guarded record (config `guarded: on`): updates lost and stale writes, with or without fencing. */
  guarded_record?: GuardedRecordResult;
}

/** The guarded record of a cell (harness/report/guarded.ts fills it). */
export interface GuardedRecordResult {
  /** Whether the cell's guarded writes presented fencing tokens. */
  fencing: boolean;
  /** Acknowledged increments (critical sections whose write landed): what the other counts rest on. */
  increments: number;
  /** Acknowledged increments lost, at least (summed over keys). */
  lost_updates: number;
  /** Guarded writes sent after the writer's lease had surely run out; null when not judged (clocks moved). */
  stale_writes: { issued: number | null; landed: number | null; over_newer_holder: number | null; outcome_unknown: number | null };
}

export interface RunResults {
  name: string;
  /** The run's folder name, `<timestamp>-<name>`. */
  run: string;
  met: boolean;
  cells: CellResult[];
}

/** A cell's folder in a results folder: its history and, when report.html cannot list them all, its anomaly page. */
function cellFolder(name: string): string {
  return `cells/${name}`;
}

export function cellHistoryPath(name: string): string {
  return `${cellFolder(name)}/history.jsonl`;
}

/** Where a cell's page of every anomaly sits, relative to the results folder. */
export function cellAnomaliesPath(name: string): string {
  return `${cellFolder(name)}/anomalies.html`;
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

/** `history`: the events, or the history already paired (then it is not paired again). */
export function summarizeCell(
  cell: PlannedCell,
  history: readonly HistoryEvent[] | PairedHistory,
  analysis: Pick<Analysis, 'verdict' | 'anomalies' | 'notJudged'> & { ops: OutcomeCounts & { byF?: Analysis['ops']['byF'] } },
): CellResult {
  const paired = asPaired(history);
  // Straight from the paired operations, as pairOps would give them (an ok or fail always has
  // its completion): no second object per operation for a history of a million.
  let workload = 0;
  let answeredOps = 0;
  const latencies: number[] = [];
  for (const op of paired.ops) {
    if (op.final) continue;
    workload++;
    if (op.outcome !== 'info') latencies.push((op.completeTime - op.invokeTime) / 1e6);
    if (op.outcome === 'ok' || (op.outcome === 'fail' && op.error === undefined)) answeredOps++;
  }
  latencies.sort((a, b) => a - b);
  const windows = faultWindows(paired.frame, paired.lastTime);
  return {
    name: cell.params.name,
    params: cellParamsJson(cell),
    verdict: analysis.verdict,
    expectation: cell.expectation,
    met: expectationMet(cell.expectation, analysis.verdict),
    anomalies: withReplicaRows(analysis.anomalies, paired.frame),
    ops: { ok: analysis.ops.ok, fail: analysis.ops.fail, info: analysis.ops.info },
    latency_ms: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    availability: workload ? Math.round((answeredOps / workload) * 10000) / 10000 : null,
    axes: cell.axes,
    confidence: {
      ops: workload,
      fault_windows: windows.length,
      fault_seconds: Math.round(windows.reduce((s, w) => s + (w.end - w.start), 0) / 1e7) / 100,
    },
    history: cellHistoryPath(cell.params.name),
    first_anomaly_s: firstAnomalySeconds(paired, analysis.anomalies),
    ...(analysis.notJudged && analysis.notJudged.length > 0 ? { not_judged: [...analysis.notJudged] } : {}),
    ...((errors) => (errors.length > 0 ? { client_errors: errors } : {}))(clientErrors(paired)),
  };
}

/**
 * Seconds from the meta line's time to the earliest time any anomaly's witness is complete (its
 * last witness event), to the millisecond; null without anomalies or a meta line. `history`: the
 * events, or the history already paired.
 */
export function firstAnomalySeconds(history: readonly HistoryEvent[] | PairedHistory, anomalies: readonly Anomaly[]): number | null {
  const paired = asPaired(history);
  const start = paired.frame.find((e) => e.type === 'meta')?.time;
  if (start === undefined || anomalies.length === 0) return null;
  // Only the witnesses' times: a map of every event costs seconds on a million operations.
  const timeOf = eventTimes(paired, new Set(anomalies.flatMap((a) => a.witness)));
  let first = Infinity;
  for (const a of anomalies) {
    const complete = Math.max(...a.witness.map((i) => timeOf.get(i) ?? -Infinity));
    if (Number.isFinite(complete)) first = Math.min(first, complete);
  }
  return Number.isFinite(first) ? Math.round((first - start) / 1e6) / 1000 : null;
}

/** The error of a cell whose history ended `interrupted`; the run and every re-check say the same. */
export const INTERRUPTED_ERROR = 'interrupted: the history is partial';

export interface EvidenceRules {
  /** Fewest completed workload operations a `safe` verdict needs (config `min_ops`). */
  minOps: number;
  /** The linearizability search budget, named when the search ran out of it. */
  timeoutMs: number;
}

/** The history's `end` line; null when it has none (cut short). */
export function endOf(events: readonly HistoryEvent[]): EndEvent | null {
  const last = events[events.length - 1];
  return last?.type === 'end' ? last : null;
}

/** Workload (non-final) client operations that completed: the ones a verdict can rest on. */
export function completedWorkloadOps(history: readonly HistoryEvent[] | PairedHistory): number {
  const paired = asPaired(history);
  let n = 0;
  for (const op of paired.ops) if (!op.final && op.completion !== null) n++;
  return n;
}

/**
 * A verdict is believed only on evidence (docs/history-format.md, "How a history ends"): `safe`
 * needs a history that ended `complete` and at least `minOps` completed workload operations, or it
 * becomes `unknown` with the reason. Anomalies always stay: a partial history that shows one is
 * still proof. An end line `interrupted` or `failed` is the cell's error, read from the history so
 * that every re-check keeps it.
 */
/** `history`: the events, or the history already paired (then it is not paired again). */
export function weighEvidence(result: CellResult, history: readonly HistoryEvent[] | PairedHistory, rules: EvidenceRules): CellResult {
  const end = endOf('ops' in history ? history.frame : history);
  const doubts: string[] = [];
  if (end === null) doubts.push('cut short: no end line');
  else if (end.status !== 'complete') doubts.push(`${end.status}: ${end.reason ?? 'no reason recorded'}`);
  const ops = completedWorkloadOps(history);
  if (ops < rules.minOps) doubts.push(`${ops} operations, fewer than min_ops ${rules.minOps}`);
  if (result.verdict === 'unknown') doubts.push(`the linearizability search ran out of its ${rules.timeoutMs / 1000} s budget`);

  const verdict: Verdict = result.verdict === 'safe' && doubts.length > 0 ? 'unknown' : result.verdict;
  const error =
    end?.status === 'interrupted' ? INTERRUPTED_ERROR : end?.status === 'failed' ? `run failed: ${end.reason ?? 'no reason recorded'}` : result.error;
  const { verdict_reason: _previous, error: _error, ...rest } = result;
  return {
    ...rest,
    verdict,
    met: error === undefined && expectationMet(result.expectation, verdict),
    ...(error !== undefined ? { error } : {}),
    ...(verdict === 'unknown' ? { verdict_reason: doubts.join('; ') } : {}),
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
    verdict_reason: error,
  };
}

/** 0 every expectation met; 1 one broken; 2 lockstorm could not run or check a cell. */
export function exitCodeFor(results: RunResults): 0 | 1 | 2 {
  if (results.cells.some((c) => c.error !== undefined)) return 2;
  return results.cells.every((c) => c.met) ? 0 : 1;
}

// --- Server version (filled by run-matrix from the cluster's start) ---------------------------

/**
 * Adds the release the cell asked for and what its nodes reported. Nodes on another release make
 * the cell an error: its verdict would be about a server the config does not name.
 */
export function withServerVersion(result: CellResult, asked: string, reported: Readonly<Record<string, string>> | undefined): CellResult {
  const out: CellResult = { ...result, server_version: asked, ...(reported ? { release_version: { ...reported } } : {}) };
  const wrong = reported ? releaseMismatch({ asked, reported }) : undefined;
  if (!wrong || result.error !== undefined) return out;
  return { ...out, verdict: 'unknown', met: false, error: wrong, verdict_reason: wrong };
}
