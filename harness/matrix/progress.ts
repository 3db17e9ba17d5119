// What `lockstorm run` says while it works. On a terminal: one line per cell, rewritten in place
// while the cell runs. In CI (CI=true, or output not a terminal): plain lines, a few per cell, so
// logs stay readable and greppable.
import type { CellResult } from '../report/results.ts';
import { describeOutcome } from '../report/outcome.ts';

export interface CellTick {
  elapsedMs: number;
  durationMs: number;
  ops: number;
  /** Anomalies found so far by the live check; null before its first pass. */
  anomalies: number | null;
  fault: string | null;
}

export interface Progress {
  note(line: string): void;
  cellStarted(index: number, total: number, name: string): void;
  tick(t: CellTick): void;
  cellFinished(result: CellResult): void;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(0)}s`;

export function isInteractive(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.CI !== 'true' && env.CI !== '1';
}

export function createProgress(stream: NodeJS.WriteStream, interactive: boolean): Progress {
  let label = '';
  let lastPlain = -Infinity;
  let live = false;
  const clear = (): void => {
    if (live) stream.write('\r\x1b[2K');
    live = false;
  };
  return {
    note(line) {
      clear();
      stream.write(`${line}\n`);
    },
    cellStarted(index, total, name) {
      label = `[${index + 1}/${total}] ${name}`;
      lastPlain = -Infinity;
      clear();
      if (!interactive) stream.write(`${label}: started\n`);
    },
    tick(t) {
      const anomalies = t.anomalies === null ? '…' : String(t.anomalies);
      const text = `${s(t.elapsedMs)}/${s(t.durationMs)} ops=${t.ops} anomalies=${anomalies} fault=${t.fault ?? 'none'}`;
      if (interactive) {
        const width = Math.max(40, (stream.columns ?? 100) - 1);
        stream.write(`\r\x1b[2K${`${label} ${text}`.slice(0, width)}`);
        live = true;
      } else if (t.elapsedMs - lastPlain >= 10_000) {
        lastPlain = t.elapsedMs;
        stream.write(`${label}: ${text}\n`);
      }
    },
    cellFinished(result) {
      clear();
      stream.write(`${label}: ${describeOutcome(result)}\n`);
    },
  };
}
