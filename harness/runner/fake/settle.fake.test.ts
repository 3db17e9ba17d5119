// The settle before the final reads counts from the moment the nemesis undid its last fault, so
// the health check that follows the undo is part of it rather than added to it; and it follows
// only faults that can hold requests back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLockstormFile } from '../../../checkers/readers/lockstorm.ts';
import type { CellParams } from '../../core/cell.ts';
import { holdsBack } from '../../nemesis/index.ts';
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

/** What the nemesis ran before it was stopped: one window of `fault`, and which faults hold requests back. */
interface Ran {
  fault: string;
  holdsBack: (fault: string) => boolean;
}

/**
 * A nemesis that, when given `ran`, runs one window of that fault at once; once stopped it undoes
 * (calling `undone` unless told not to), then spends `checkMs` on its health check. Remembers
 * when it finished.
 */
function healingNemesis(clock: VirtualClock, checkMs: number, reportsUndo: boolean, ran?: Ran): CellNemesis & { doneAtMs?: number } {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const nemesis: CellNemesis & { doneAtMs?: number } = {
    ...(ran ? { holdsBack: ran.holdsBack } : {}),
    async start(record, _provided, undone) {
      if (ran) {
        record({ phase: 'start', fault: ran.fault, targets: ['n1'] });
        await clock.sleep(500);
        record({ phase: 'stop', fault: ran.fault, targets: ['n1'] });
      }
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
async function settleMs(checkMs: number, reportsUndo = true, ran?: Ran): Promise<number> {
  const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-settle-')), 'history.jsonl');
  const clock = new VirtualClock();
  const startMs = clock.nowMs();
  const nemesis = healingNemesis(clock, checkMs, reportsUndo, ran);
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

  it('follows only a cell in which a fault that holds requests back ran', async () => {
    // The families' own answers: a lost reply is held by the proxy, a skewed clock holds nothing.
    const ran = (fault: string): Ran => ({ fault, holdsBack });
    expect(holdsBack('reply-lost')).toBe(true);
    expect(holdsBack('clock-skew')).toBe(false);
    expect(holdsBack('client-pause')).toBe(false);
    expect(await settleMs(1_000, true, ran('reply-lost'))).toBe(2_000);
    expect(await settleMs(1_000, true, ran('clock-skew'))).toBe(0);
    expect(await settleMs(1_000, true, ran('client-pause'))).toBe(0);
  });
});
