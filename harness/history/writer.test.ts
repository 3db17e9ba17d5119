import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../history/index.ts';
import { HistoryWriter } from './writer.ts';

const lines = (path: string): HistoryEvent[] =>
  readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEvent);

describe('HistoryWriter', () => {
  it('writes the meta line first, numbers lines, and stamps increasing times', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hist-')), 'history.jsonl');
    const w = HistoryWriter.create(path, { recipe: 'lwt', params: { keys: 5 } });
    w.append({ type: 'invoke', process: 0, node: 'n1', f: 'acquire', key: 'k0', owner: 'p0-0' });
    w.append({ type: 'ok', process: 0, node: 'n1', f: 'acquire', key: 'k0', owner: 'p0-0' });
    w.close();
    const events = lines(path);
    expect(events.map((e) => [e.index, e.type])).toEqual([[0, 'meta'], [1, 'invoke'], [2, 'ok']]);
    expect(events[1]!.time).toBeLessThanOrEqual(events[2]!.time);
  });

  it('has every appended event on disk before close, as a crash would leave it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hist-')), 'history.jsonl');
    const w = HistoryWriter.create(path, { recipe: 'lwt', params: {} });
    w.append({ type: 'invoke', process: 3, f: 'read', key: 'k1' });
    expect(lines(path).map((e) => e.type)).toEqual(['meta', 'invoke']);
    w.close();
  });

  it('refuses to append to an existing history', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hist-')), 'history.jsonl');
    writeFileSync(path, 'earlier run\n');
    expect(() => HistoryWriter.create(path, { recipe: 'lwt', params: {} })).toThrow(/EEXIST/);
    expect(readFileSync(path, 'utf8')).toBe('earlier run\n');
  });

  it('ends with an end line that says how the cell ended, and accepts nothing after it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hist-')), 'history.jsonl');
    const w = HistoryWriter.create(path, { recipe: 'lwt', params: {} });
    w.append({ type: 'invoke', process: 0, f: 'read', key: 'k0' });
    const end = w.end('interrupted', 'stopped by an interrupt after 2.0 s of the planned 30 s');
    const events = lines(path);
    expect(events.at(-1)).toEqual(end);
    expect(events.map((e) => e.type)).toEqual(['meta', 'invoke', 'end']);
    expect(end).toMatchObject({ index: 2, type: 'end', status: 'interrupted', reason: 'stopped by an interrupt after 2.0 s of the planned 30 s' });
    expect(end.time).toBeGreaterThanOrEqual(events[1]!.time);
    expect(() => w.append({ type: 'invoke', process: 0, f: 'read', key: 'k0' })).toThrow(/already closed/);
    expect(() => w.end('complete')).toThrow(/already closed/);
    expect(lines(path)).toHaveLength(3);
  });

  it('writes a complete end line without a reason', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hist-')), 'history.jsonl');
    const w = HistoryWriter.create(path, { recipe: 'lwt', params: {} });
    w.end('complete');
    const last = lines(path).at(-1)!;
    expect(last).toEqual({ index: 1, time: last.time, type: 'end', status: 'complete' });
  });
});
