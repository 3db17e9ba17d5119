// Everything a lock checker is told besides the history, built in one place for every caller
// (`run` and `report` via check-cell, the live check, `check FILE`, `check DIR`), so that they
// judge one history alike. Defaults come from the history's own meta line: a history file can
// be checked on its own.

import { recipeOf, ttlBounds, ttlSecondsOf, type HistoryEvent, type NemesisEvent, type ReadValue, type TtlBounds } from '../../history/index.ts';

export interface CheckContext {
  /** When a lock's TTL can free it (Cassandra's expiry granularity included). */
  ttl: TtlBounds;
  /** The recipe's own judgement of a row (Recipe.rowIsReachable); torn rows need it. */
  rowIsReachable?: (row: ReadValue['row']) => boolean;
  /** A nemesis fault moved node clocks: TTLs may have lapsed early or late on some node. */
  clocksMoved: boolean;
  /** Budget for the linearizability search, in milliseconds. */
  timeoutMs: number;
}

export interface CheckContextOptions {
  /** The recipe's TTL; default the meta line's params.ttlSeconds, else 0 (never expires). */
  ttlSeconds?: number;
  /** The recipe whose row rule judges torn rows; default the meta line's recipe. */
  recipe?: string;
  /**
   * Each recipe's own row rule, by recipe name. Checkers judge histories, not recipes, so the
   * caller that knows the recipes hands their rules in.
   */
  rowRuleOf?: (recipe: string) => ((row: ReadValue['row']) => boolean) | undefined;
  /** A row rule given directly; wins over the recipe's. */
  rowIsReachable?: (row: ReadValue['row']) => boolean;
  /** Default DEFAULT_CHECK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Which nemesis events moved clocks; default faultNameMovesClocks. */
  movesClocks?: (fault: NemesisEvent) => boolean;
}

/** Budget for the linearizability search when the caller gives none: never hang on a hard history. */
export const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

const CLOCK_FAULT = /clock|skew|faketime/i;

/** A fault recorded with a clock-like name, or tagged as the clock family in its detail. */
export function faultNameMovesClocks(fault: NemesisEvent): boolean {
  return CLOCK_FAULT.test(fault.fault) || fault.detail?.['family'] === 'clock';
}

export function buildCheckContext(events: readonly HistoryEvent[], opts: CheckContextOptions = {}): CheckContext {
  const recipe = opts.recipe ?? recipeOf(events);
  const rowIsReachable = opts.rowIsReachable ?? (recipe === undefined ? undefined : opts.rowRuleOf?.(recipe));
  const movesClocks = opts.movesClocks ?? faultNameMovesClocks;
  return {
    ttl: ttlBounds(opts.ttlSeconds ?? ttlSecondsOf(events) ?? 0),
    ...(rowIsReachable ? { rowIsReachable } : {}),
    clocksMoved: events.some((e) => e.type === 'nemesis' && movesClocks(e)),
    timeoutMs: opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
  };
}
