// The settle before the final reads counts from the moment the nemesis undid its last fault, so
// the health check that follows the undo is part of it rather than added to it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLockstormFile } from '../../../checkers/readers/lockstorm.ts';
import type { CellParams } from '../../core/cell.ts';
import { runCell, type CellNemesis } from '../cell.ts';
import { FakeExecutors } from './fake-executor.ts';
import { virtualTimeHistory } from './run-fake.ts';
import { VirtualClock } from './virtual-clock.ts';

const params: CellParams = {
  name: 'settle',
  recipe: 'lwt',
  writeCl: 'QUORUM',
  readCl: 'QUORUM',
  serialCl: 'SERIAL',
  ttlSeconds: 10,
  keys: 2,
  clients: 2,
  durationMs: 2_000,
  opTimeoutMs: 500,
  thinkMs: 50,
  seed: 3,
  timestamps: { kind: 'server' },
  nemesis: null,
};

/**
 * A nemesis with no windows: once stopped it undoes (calling `undone` unless told not to), then
 * spends `checkMs` on its health check. Remembers when it finished.
 */
function healingNemesis(clock: VirtualClock, checkMs: number, reportsUndo: boolean): CellNemesis & { doneAtMs?: number } {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const nemesis: CellNemesis & { doneAtMs?: number } = {
    async start(_record, _provided, undone) {
      await stopped;
      if (reportsUndo) undone?.();
      await clock.sleep(checkMs);
      nemesis.doneAtMs = clock.nowMs();
    },
    stop,
  };
  return nemesis;
}

/** Virtual milliseconds from the nemesis's end to the first final read, to the nearest 10. */
async function settleMs(checkMs: number, reportsUndo = true): Promise<number> {
  const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-settle-')), 'history.jsonl');
  const clock = new VirtualClock();
  const startMs = clock.nowMs();
  const nemesis = healingNemesis(clock, checkMs, reportsUndo);
  const outcome = await runCell(
    {
      executors: new FakeExecutors(clock, params),
      // TTLs and settles are judged on the history's times: the virtual clock's, not the process's.
      openHistory: virtualTimeHistory(path, clock),
      nemesis,
      clock,
    },
    params,
  );
  // The nemesis's heal is the cell's last change to the cluster.
  expect(outcome).toEqual({ healedAtEnd: true });
  const events = readLockstormFile(path);
  const t0 = events[0]!.time;
  const firstFinal = events.find((e) => e.type === 'invoke' && e.final === true)!;
  return Math.round(((firstFinal.time - t0) / 1e6 - (nemesis.doneAtMs! - startMs)) / 10) * 10;
}

describe('the settle before the final reads', () => {
  it('is 3 s from the undo: a health check of 2 s leaves 1 s, one of 5 s leaves none', async () => {
    expect(await settleMs(0)).toBe(3_000);
    expect(await settleMs(2_000)).toBe(1_000);
    expect(await settleMs(5_000)).toBe(0);
  });

  it('is the whole 3 s after the nemesis ends when it does not say when it undid its faults', async () => {
    expect(await settleMs(2_000, false)).toBe(3_000);
  });
});
