// Replica forensics at the end of a cell: for every key the checkers already hold a ghost,
// resurrected or orphaned lock or a torn row against, read each replica on its own — the node cut
// off from its peers, the key read at ONE through that node's proxy — before the final SERIAL and
// ALL reads, which repair the replicas and would erase the evidence. Each read is recorded as a
// `forensic` event, so `report` and `check` find the same rows in the history. A cluster that
// cannot cut a node off gets a `not_taken` line per key saying why.
//
// Any answer a cut-off node gives is its own: it drops everything its peers send, so the
// coordinator's only reachable replica is itself. Until its failure detector notices, a read it
// routes to a peer times out; the read is retried until the node answers from itself.

import { analyzePaired } from '../../checkers/lock/analyze.ts';
import { buildCheckContext, faultNameMovesClocks } from '../../checkers/lock/context.ts';
import { LOCK_CHECKERS } from '../../checkers/lock/registry.ts';
import { FORENSIC_KINDS, forensicKeys } from '../../checkers/lock/replica-rows.ts';
import { readLockstormFile } from '../../checkers/readers/lockstorm.ts';
import { pairHistory, type ForensicEvent, type HistoryEvent, type PairedHistory } from '../../history/index.ts';
import type { HistoryWriter, Unstamped } from '../history/writer.ts';
import { movesClocks } from '../nemesis/index.ts';
import type { Recipe, RecipeSettings } from '../../workloads/recipe.ts';
import type { RunnerClock } from './clock.ts';
import type { ExecutorFactory, PinnedExecutor } from './executors.ts';

/** Cutting one node off from its peers and making the cluster whole again. */
export interface ReplicaIsolation {
  /** Why replicas cannot be read one by one here (a provider without the net capability); absent when they can. */
  unavailable?: string;
  /** Cuts `node` off from every peer, both ways; resolves once the cut is in place. */
  isolate(node: string): Promise<void>;
  /** Undoes every cut, checks that none is left and waits until the cluster is healthy; rejects if it is not. */
  heal(): Promise<void>;
}

/** How long one replica gets to answer every key, cut off (failure detection included). */
const PER_NODE_BUDGET_MS = 45_000;
const READ_TIMEOUT_MS = 5_000;
const RETRY_PAUSE_MS = 1_000;

/** The forensic kinds' keys the pure checkers find in the history so far. */
export function forensicTargets(events: readonly HistoryEvent[], recipe: Recipe): string[] {
  const context = buildCheckContext(events, {
    rowIsReachable: (row) => recipe.rowIsReachable(row),
    movesClocks: (e) => movesClocks(e.fault) || faultNameMovesClocks(e),
  });
  const checkers = LOCK_CHECKERS.filter((c) => FORENSIC_KINDS.some((k) => k === c.name));
  const paired = pairHistory(events);
  const found = analyzePaired(paired, context, checkers).anomalies;
  // An orphaned lock is proven by a final read, which comes after the forensics: judge each key's
  // last workload read as if it were final, so a key that looks orphaned gets its replicas read.
  const orphaned = LOCK_CHECKERS.filter((c) => c.name === 'orphaned-lock');
  const previewed = analyzePaired({ ...paired, ops: lastReadsAsFinal(paired.ops) }, context, orphaned).anomalies;
  return forensicKeys([...found, ...previewed]);
}

function lastReadsAsFinal(ops: PairedHistory['ops']): PairedHistory['ops'] {
  const last = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.f === 'read' && op.outcome === 'ok' && !op.final) last.set(op.key, i);
  });
  const marked = new Set(last.values());
  return ops.map((op, i) => (marked.has(i) ? { ...op, final: true } : op));
}

export interface ForensicsDeps {
  executors: ExecutorFactory;
  isolation: ReplicaIsolation | null;
  clock: RunnerClock;
}

/**
 * Reads every target key on every replica on its own and records what each said. Heals (and
 * checks the heal) before returning whatever happened: the final reads need the whole cluster.
 */
export async function takeForensics(
  deps: ForensicsDeps,
  history: HistoryWriter,
  recipe: Recipe,
  settings: RecipeSettings,
  process: number,
  signal?: AbortSignal,
): Promise<void> {
  const keys = forensicTargets(readLockstormFile(history.path), recipe);
  if (keys.length === 0) return;
  const record = (e: Unstamped<ForensicEvent>) => history.append<ForensicEvent>(e);
  const why = deps.isolation === null ? 'this cell has no way to cut a node off from its peers' : deps.isolation.unavailable;
  if (why !== undefined || deps.isolation === null) {
    for (const key of keys) record({ type: 'forensic', key, not_taken: why ?? 'no isolation' });
    return;
  }
  const isolation = deps.isolation;
  for (const node of deps.executors.nodes) {
    if (signal?.aborted) {
      for (const key of keys) record({ type: 'forensic', key, node, error: 'not read: the cell was interrupted' });
      continue;
    }
    let executor: PinnedExecutor | null = null;
    try {
      await isolation.isolate(node);
      executor = await deps.executors.open(process, node, READ_TIMEOUT_MS);
      const deadline = deps.clock.nowMs() + PER_NODE_BUDGET_MS;
      for (const key of keys) {
        const r = await readAlone(executor, recipe, key, settings, () => deps.clock.nowMs() < deadline && !signal?.aborted, deps.clock);
        record({ type: 'forensic', key, node, cl: 'ONE', ...r });
      }
    } catch (err) {
      for (const key of keys) record({ type: 'forensic', key, node, error: `could not isolate or read: ${oneLine(err)}` });
    } finally {
      await executor?.close();
      await isolation.heal();
    }
  }
}

async function readAlone(
  x: PinnedExecutor,
  recipe: Recipe,
  key: string,
  s: RecipeSettings,
  mayRetry: () => boolean,
  clock: RunnerClock,
): Promise<{ value: NonNullable<ForensicEvent['value']> } | { error: string }> {
  let last = 'no attempt';
  do {
    x.begin({ readCl: 'ONE' });
    try {
      return { value: await recipe.read(x, key, s) };
    } catch (err) {
      last = oneLine(err);
    }
    if (!mayRetry()) break;
    await clock.sleep(RETRY_PAUSE_MS);
  } while (mayRetry());
  return { error: last };
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
