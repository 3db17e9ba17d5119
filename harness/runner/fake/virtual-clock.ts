// A clock for tests that only moves when everyone waits on it: each sleep is a timer on a
// virtual timeline, and the earliest timer fires once every runnable continuation has run
// (setImmediate comes after the microtask queue drains). A cell on the in-memory executor thus
// runs its planned seconds in moments, and the same seed gives the same order of events.

import type { RunnerClock } from '../clock.ts';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class VirtualClock implements RunnerClock {
  private now: number;
  private seq = 0;
  private timers: Timer[] = [];
  private pumping = false;

  /** `startMs` is what nowMs() first returns; an epoch-like value makes write stamps look real. */
  constructor(startMs = 1_800_000_000_000) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, fire: resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.now = Math.max(this.now, next.at);
      next.fire();
      if (this.timers.length > 0) this.pump();
    });
  }
}
