// A results folder on disk without a cluster, for tests and benches of `report` and `check DIR`:
// a config copy and one generated history per listed cell, written line by line so a history of
// a million operations never sits in memory as one string.
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHistory, type GeneratedHistoryOptions } from '../../test/fixtures/generated-history.ts';
import type { HistoryEvent } from '../../history/index.ts';

/** Operations per second one generated process performs, on average (latency plus think time). */
const OPS_PER_PROCESS_SECOND = 52;

export function writeHistory(path: string, events: readonly HistoryEvent[]): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = '';
    for (const e of events) {
      chunk += `${JSON.stringify(e)}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** Generator options giving about `ops` operations over ten processes, with one planted double holder. */
export function sizedHistory(ops: number, seed = 1): GeneratedHistoryOptions {
  const processes = 10;
  return {
    seed,
    processes,
    keys: ['k0', 'k1', 'k2', 'k3', 'k4'],
    durationMs: Math.round((ops / processes / OPS_PER_PROCESS_SECOND) * 1000),
    faults: [{ fault: 'reply-lost', targets: ['n2'], startMs: 2000, endMs: 4000 }],
    doubleHolder: { key: 'planted', atMs: 5000 },
    recipe: 'lwt',
  };
}

/** A results folder whose config lists one `lwt` cell named `lwt`, holding `events`; returns its path. */
export function makeResultsDir(events: readonly HistoryEvent[], configExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-results-'));
  mkdirSync(join(dir, 'cells', 'lwt'), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), `name: sized\nrecipe: lwt\nduration_s: 30\ncheck_timeout_s: 5\n${configExtra}`);
  writeHistory(join(dir, 'cells', 'lwt', 'history.jsonl'), events);
  return dir;
}

export function generatedResultsDir(ops: number): { dir: string; invocations: number } {
  const events = generateHistory(sizedHistory(ops));
  return { dir: makeResultsDir(events), invocations: events.filter((e) => e.type === 'invoke').length };
}
