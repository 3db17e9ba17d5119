// Append-only JSONL history. Every event goes to the kernel with one write(2) before `append`
// returns, so a crash of lockstorm itself loses nothing already appended; an fdatasync every
// second bounds what a crash of the machine can lose. The file is opened for appending only:
// nothing recorded is ever rewritten. `end` writes the last line, saying how the cell ended, and
// closes the file: nothing can follow it.

import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { metaLine, type EndEvent, type EndStatus, type HistoryEvent, type JsonValue } from '../../history/index.ts';

/** An event as a caller builds it: the writer assigns `index` and `time`. */
export type Unstamped<E> = E extends unknown ? Omit<E, 'index' | 'time'> : never;

export class HistoryWriter {
  private fd: number | null;
  private next = 0;
  private readonly t0 = process.hrtime.bigint();
  private dirty = false;
  private readonly syncTimer: NodeJS.Timeout;

  private constructor(readonly path: string, syncEveryMs: number) {
    // 'wx': a history is never appended to a file left by an earlier run.
    this.fd = openSync(path, 'wx');
    this.syncTimer = setInterval(() => this.sync(), syncEveryMs);
    this.syncTimer.unref();
  }

  /** Creates `path` (which must not exist) and writes the meta line first. */
  static create(path: string, meta: { recipe: string; params: Record<string, JsonValue> }, syncEveryMs = 1000): HistoryWriter {
    const w = new HistoryWriter(path, syncEveryMs);
    w.append(metaLine(meta.recipe, meta.params));
    return w;
  }

  /** Monotonic nanoseconds since this history started. */
  now(): number {
    return Number(process.hrtime.bigint() - this.t0);
  }

  get count(): number {
    return this.next;
  }

  append<E extends HistoryEvent>(event: Unstamped<E>): E {
    if (this.fd === null) throw new Error(`history ${this.path} is already closed`);
    const stamped = { index: this.next, time: this.now(), ...event } as unknown as E;
    const line = Buffer.from(JSON.stringify(stamped) + '\n');
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off);
    this.next += 1;
    this.dirty = true;
    return stamped;
  }

  /**
   * Writes the `end` line and closes the history. Only a recorder that saw its cell through says
   * `complete`; a history closed without this line reads as cut short.
   */
  end(status: EndStatus, reason?: string): EndEvent {
    const event = this.append<EndEvent>({ type: 'end', status, ...(reason !== undefined ? { reason } : {}) });
    this.close();
    return event;
  }

  private sync(): void {
    if (this.fd === null || !this.dirty) return;
    this.dirty = false;
    fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    clearInterval(this.syncTimer);
    this.sync();
    closeSync(this.fd);
    this.fd = null;
  }
}
