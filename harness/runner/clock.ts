// The time a cell runs on: a monotonic clock and a way to wait on it. The real one is the
// process's monotonic clock; tests hand in a virtual one (./fake/virtual-clock.ts) so a whole
// cell runs in moments and the same seed gives the same history.

export interface RunnerClock {
  /** Monotonic milliseconds; only differences mean anything. */
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: RunnerClock = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
