// The harness's side of the check context: what only it knows — the built-in recipes' own row
// rules and which fault families move clocks — handed to the one context builder in checkers/.
// Every caller that judges a lockstorm history (run, report, the live check, check FILE, check
// DIR) comes through here, so all of them judge a history alike.
import { buildCheckContext, faultNameMovesClocks, type CheckContext, type CheckContextOptions } from '../../checkers/lock/context.ts';
import type { HistoryEvent, NemesisEvent } from '../../history/index.ts';
import { movesClocks } from '../nemesis/index.ts';
import { recipes } from '../../workloads/index.ts';

function rowRuleOf(name: string): ((row: Parameters<NonNullable<CheckContext['rowIsReachable']>>[0]) => boolean) | undefined {
  const recipe = recipes[name];
  return recipe ? (row) => recipe.rowIsReachable(row) : undefined;
}

/** A recorded fault moved clocks if its family says so; the name rule still reads older histories. */
function faultMovedClocks(e: NemesisEvent): boolean {
  return movesClocks(e.fault) || faultNameMovesClocks(e);
}

export function checkContextFor(events: readonly HistoryEvent[], opts: CheckContextOptions = {}): CheckContext {
  return buildCheckContext(events, { rowRuleOf, movesClocks: faultMovedClocks, ...opts });
}
