import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { generateHistory, toJsonl } from '../../test/fixtures/generated-history.ts';
import { LiveCheck } from './live-check.ts';

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(50);
}

describe('live check (worker thread)', () => {
  let live: LiveCheck | undefined;
  afterEach(async () => live?.stop());

  it('counts anomalies in a history that is still being written, ignoring a torn last line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-live-')), 'history.jsonl');
    const events = generateHistory({ seed: 3, processes: 4, keys: ['a'], durationMs: 3000, faults: [], doubleHolder: { key: 'b', atMs: 1000 } });
    const clean = events.filter((e) => e.time < 900e6);
    writeFileSync(path, toJsonl(clean));
    live = new LiveCheck(path, 0, 100);
    await until(() => live!.anomalies !== null, 20_000);
    expect(live.anomalies).toBe(0);
    // The rest arrives, the last line only half written, as a writer mid-flush leaves it.
    const rest = toJsonl(events.slice(clean.length));
    appendFileSync(path, rest.slice(0, rest.length - 20));
    await until(() => (live!.anomalies ?? 0) > 0, 20_000);
    expect(live.anomalies).toBeGreaterThan(0);
  });

  it('counts torn rows too, judged by the recipe the meta line names', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lockstorm-live-')), 'history.jsonl');
    const torn = [
      { type: 'meta', index: 0, time: 0, recipe: 'lwt', params: { ttlSeconds: 0 } },
      { type: 'invoke', index: 1, time: 1e6, process: 0, f: 'read', key: 'k' },
      { type: 'ok', index: 2, time: 2e6, process: 0, f: 'read', key: 'k', value: { state: 'free', owner: null, row: { owner: 7 } } },
    ];
    writeFileSync(path, torn.map((e) => JSON.stringify(e) + '\n').join(''));
    live = new LiveCheck(path, 0, 100);
    await until(() => live!.anomalies !== null, 20_000);
    expect(live.anomalies).toBe(1);
  });
});
