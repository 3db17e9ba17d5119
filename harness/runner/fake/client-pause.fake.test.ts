// Client pauses on the in-memory executor: the client-pause fault family, driven on the virtual
// clock through the capability the runner provides, freezes a holder between its guarded read
// and its write for longer than the lock's TTL. Without fencing its stale writes land and updates
// are lost; with fencing the record refuses every one of them.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lostUpdate } from '../../../checkers/lock/lost-update.ts';
import { staleHolder } from '../../../checkers/lock/stale-holder.ts';
import { guardedCounts } from '../../../checkers/lock/guarded-sections.ts';
import { buildCheckContext } from '../../../checkers/lock/context.ts';
import { readLockstormFile } from '../../../checkers/readers/lockstorm.ts';
import { pairHistory, type HistoryEvent } from '../../../history/index.ts';
import type { ServerSettings } from '../../cluster/cluster.ts';
import { MemoryCluster } from '../../cluster/testing/memory-provider.ts';
import type { CellParams } from '../../core/cell.ts';
import { clientPauseFamily, type ClientPauseFault } from '../../nemesis/client-pause.ts';
import { withRunnerCapabilities } from '../../nemesis/index.ts';
import { runCell, type CellNemesis } from '../cell.ts';
import { FakeExecutors } from './fake-executor.ts';
import { virtualTimeHistory } from './run-fake.ts';
import { VirtualClock } from './virtual-clock.ts';

const TTL_S = 2;

const base: CellParams = {
  name: 'pauses',
  recipe: 'lwt',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: TTL_S,
  keys: 2,
  clients: 6,
  durationMs: 25_000,
  opTimeoutMs: 500,
  thinkMs: 40,
  seed: 11,
  timestamps: { kind: 'server' },
  nemesis: null,
  guarded: true,
};

/** The family's windows on the virtual clock (the real nemesis sleeps on the process's timers). */
function pauseNemesis(clock: VirtualClock, onMs: number, offMs: number): CellNemesis {
  const cluster = new MemoryCluster({} as ServerSettings);
  let stopped = false;
  return {
    async start(record, provided) {
      const view = withRunnerCapabilities(cluster, provided!);
      for (let i = 0; ; i++) {
        await clock.sleep(offMs);
        if (stopped) break;
        const fault: ClientPauseFault = { family: 'client', name: 'client-pause', targets: [view.nodes[i % view.nodes.length]!.name] };
        record({ phase: 'start', fault: fault.name, targets: fault.targets });
        await clientPauseFamily.start(view, fault);
        await clock.sleep(onMs);
        await clientPauseFamily.stop(view, fault);
        record({ phase: 'stop', fault: fault.name, targets: fault.targets });
      }
      await clientPauseFamily.heal(view);
      expect(await clientPauseFamily.problems(view)).toEqual([]);
    },
    stop: () => void (stopped = true),
  };
}

async function runPaused(params: CellParams): Promise<HistoryEvent[]> {
  const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-fake-')), 'history.jsonl');
  const clock = new VirtualClock();
  await runCell(
    {
      executors: new FakeExecutors(clock, params),
      // TTLs and settles are judged on the history's times: the virtual clock's, not the process's.
      openHistory: virtualTimeHistory(path, clock),
      nemesis: pauseNemesis(clock, 5_000, 2_000),
      clock,
    },
    params,
  );
  return readLockstormFile(path);
}

// The two guarded-record checkers only: the linearizability search has nothing to add here.
function judge(events: HistoryEvent[]) {
  const paired = pairHistory(events);
  const context = buildCheckContext(events, { ttlSeconds: TTL_S });
  const anomalies = [lostUpdate, staleHolder].flatMap((c) => c.check(paired, context).anomalies);
  return { kinds: new Set(anomalies.map((a) => a.kind)), counts: guardedCounts(paired, context)! };
}

describe('client pauses on the in-memory executor', () => {
  it('without fencing: paused holders write after their lease, over newer holders, and updates are lost', async () => {
    const events = await runPaused(base);
    const { kinds, counts } = judge(events);
    expect(events.some((e) => e.type === 'nemesis' && e.fault === 'client-pause')).toBe(true);
    expect(counts.fenced).toBe(false);
    expect(counts.staleIssued).toBeGreaterThan(0);
    expect(counts.staleOverNewer).toBeGreaterThan(0);
    expect(kinds.has('stale-holder')).toBe(true);
    expect(kinds.has('lost-update')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'complete' });
  });

  it.each(['lwt', 'lwt-ttl-plain-release'])('with fencing (%s): the same pauses, and no stale write lands over a newer holder, no update is lost', async (recipe) => {
    const events = await runPaused({ ...base, recipe, fencing: true });
    const { kinds, counts } = judge(events);
    expect(counts.fenced).toBe(true);
    // Holders did get through their critical sections: the zeros below rest on them.
    expect(counts.increments).toBeGreaterThan(20);
    expect(counts.staleIssued).toBeGreaterThan(0);
    expect(counts.staleOverNewer).toBe(0);
    expect(counts.lostUpdates).toBe(0);
    expect(kinds.has('stale-holder')).toBe(false);
    expect(kinds.has('lost-update')).toBe(false);
    // Every stale write was refused: the record had been claimed with a higher token.
    const refused = events.filter((e) => e.type === 'fail' && e.f === 'guarded-write');
    expect(refused.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'complete' });
  });
});
