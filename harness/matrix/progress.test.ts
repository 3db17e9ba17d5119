import { describe, expect, it } from 'vitest';
import { planFromText } from '../config/index.ts';
import { failedCell, summarizeCell } from '../report/results.ts';
import { createProgress, isInteractive } from './progress.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

const { plan } = planFromText('name: p\nrecipe: lwt\nduration_s: 30\n', 'p.yaml', { recipes: ['lwt'] });
const cell = plan.cells[0]!;

describe('progress', () => {
  it('CI (or not a terminal) gets plain lines: start, one tick per 10 s, the outcome', () => {
    expect(isInteractive({ isTTY: true } as NodeJS.WriteStream, { CI: 'true' })).toBe(false);
    expect(isInteractive({ isTTY: false } as NodeJS.WriteStream, {})).toBe(false);
    const out = sink(false);
    const p = createProgress(out.stream, false);
    p.cellStarted(0, 2, cell.params.name);
    for (const ms of [0, 1000, 9000, 10_000, 15_000, 20_500]) p.tick({ elapsedMs: ms, durationMs: 30_000, ops: ms / 10, anomalies: ms > 10_000 ? 1 : null, fault: ms === 10_000 ? 'reply-lost n2' : null });
    p.cellFinished(summarizeCell(cell, [], { verdict: 'unsafe', anomalies: [{ kind: 'double-holder', key: 'k', owners: ['a', 'b'], witness: [1, 2], explanation: 'x' }], ops: { ok: 5, fail: 1, info: 2 } }));
    expect(out.text().split('\n')).toEqual([
      '[1/2] lwt: started',
      '[1/2] lwt: 0s/30s ops=0 anomalies=… fault=none',
      '[1/2] lwt: 10s/30s ops=1000 anomalies=… fault=reply-lost n2',
      '[1/2] lwt: 21s/30s ops=2050 anomalies=1 fault=none',
      '[1/2] lwt: unsafe (1 double-holder); expected safe: BROKEN; ops ok=5 fail=1 info=2',
      '',
    ]);
  });

  it('a terminal gets one line per cell, rewritten in place, then the outcome on its own line', () => {
    const out = sink(true);
    const p = createProgress(out.stream, true);
    p.cellStarted(1, 2, cell.params.name);
    p.tick({ elapsedMs: 1000, durationMs: 30_000, ops: 10, anomalies: 0, fault: null });
    p.tick({ elapsedMs: 2000, durationMs: 30_000, ops: 20, anomalies: 0, fault: 'kill n1' });
    p.cellFinished(failedCell(cell, 'run failed: boom'));
    expect(out.text()).toBe(
      '\r\x1b[2K[2/2] lwt 1s/30s ops=10 anomalies=0 fault=none' +
        '\r\x1b[2K[2/2] lwt 2s/30s ops=20 anomalies=0 fault=kill n1' +
        '\r\x1b[2K[2/2] lwt: unknown; expected safe: ERROR; ops ok=0 fail=0 info=0; run failed: boom\n',
    );
  });
});
