// How a cell's recorder decides the end line of its history (docs/history-format.md, "How a
// history ends"), and the deadline that ends its workload. Both rest on the monotonic clock, never
// on a timer having fired: Node clamps a delay past 2^31-1 ms to 1 ms, so a timer can fire at once.
import type { EndStatus } from '../../history/index.ts';

/** The longest delay a Node timer honours; a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expire` once `durationMs` have passed on `nowMs` (a monotonic clock in milliseconds),
 * re-arming as often as needed. Returns the cancel function.
 */
export function monotonicDeadline(durationMs: number, expire: () => void, nowMs: () => number = () => performance.now()): () => void {
  const start = nowMs();
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const left = durationMs - (nowMs() - start);
    if (left <= 0) {
      timer = undefined;
      expire();
      return;
    }
    timer = setTimeout(check, Math.min(Math.ceil(left), MAX_TIMER_MS));
  };
  check();
  return () => clearTimeout(timer);
}

/** What the recorder saw of its cell once the final reads are over. */
export interface CellCourse {
  plannedMs: number;
  /** Monotonic time from the workload's start to the moment it was told to stop. */
  ranMs: number;
  /** The user interrupted the run (Ctrl-C, SIGTERM). */
  interrupted: boolean;
  /** Final reads that never got an answer, e.g. `k1 at SERIAL`. */
  missingFinalReads: readonly string[];
}

export interface CellEnding {
  status: EndStatus;
  reason?: string;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** `complete` only for a workload that ran its whole planned time and final reads that all answered. */
export function endOfCell(c: CellCourse): CellEnding {
  const ranWhole = c.ranMs >= c.plannedMs;
  if (!ranWhole && c.interrupted) {
    return { status: 'interrupted', reason: `stopped by an interrupt after ${seconds(c.ranMs)} s of the planned ${seconds(c.plannedMs)} s` };
  }
  if (!ranWhole) return { status: 'failed', reason: `the workload stopped after ${seconds(c.ranMs)} s of the planned ${seconds(c.plannedMs)} s` };
  if (c.missingFinalReads.length > 0) return { status: 'failed', reason: `final reads got no answer: ${c.missingFinalReads.join(', ')}` };
  return { status: 'complete' };
}
