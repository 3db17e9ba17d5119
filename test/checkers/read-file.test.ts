// The one way history files come off the disk: regular files only, bounded, strict UTF-8.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryError } from '../../checkers/readers/history-error.ts';
import { loadHistoryFile } from '../../checkers/readers/load.ts';
import { readLockstormFile, readLockstormPaired } from '../../checkers/readers/lockstorm.ts';
import { pairHistory } from '../../history/index.ts';
import { decodeHistory, MAX_HISTORY_BYTES, readHistoryFile } from '../../checkers/readers/read-file.ts';
import { lockHistory } from './lock-history-builder.ts';
import { errorOf } from './error-of.ts';

const dir = mkdtempSync(join(tmpdir(), 'lockstorm-read-file-'));

function write(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}


const events = lockHistory(5, [
  [0, 'invoke', 'acquire', 'k', 'p0-0', 0],
  [0, 'ok', 'acquire', 'k', 'p0-0', 1],
  [1, 'invoke', 'acquire', 'k', 'p1-0', 2],
  [1, 'ok', 'acquire', 'k', 'p1-0', 3],
]);
const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('readHistoryFile', () => {
  it('reads a regular file as its text', () => {
    expect(readHistoryFile(write('h.jsonl', text))).toBe(text);
    expect(readLockstormFile(write('h2.jsonl', text))).toEqual(events);
  });

  it('pairs a file as it reads it, as the events pair, and names a bad line before a broken pairing', () => {
    expect(readLockstormPaired(write('h3.jsonl', text))).toEqual(pairHistory(events));
    // Line 3 completes what process 7 never invoked; line 5 is not JSON: the file's own error comes first.
    const unpaired = events.map((e, i) => JSON.stringify(i === 2 ? { ...e, process: 7 } : e));
    expect(errorOf(() => readLockstormPaired(write('bad.jsonl', [...unpaired.slice(0, 4), '{"oops'].join('\n') + '\n'))).message).toMatch(/bad\.jsonl:5: not JSON/);
    expect(errorOf(() => readLockstormPaired(write('unpaired.jsonl', unpaired.join('\n') + '\n'))).message).toMatch(
      /unpaired\.jsonl:3: process 7 completes acquire without a pending invocation$/,
    );
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(() => readHistoryFile(fifo)).message).toBe(`${fifo}: a FIFO, not a history file`);
    expect(errorOf(() => loadHistoryFile(fifo)).message).toBe(`${fifo}: a FIFO, not a history file`);
  });

  it('refuses directories and devices', () => {
    expect(errorOf(() => readHistoryFile(dir)).message).toBe(`${dir}: a directory, not a history file`);
    expect(errorOf(() => readLockstormFile('/dev/zero')).message).toBe('/dev/zero: a character device, not a history file');
  });

  it('names the errno code when the file cannot be read, and keeps it for callers', () => {
    const e = errorOf(() => readLockstormFile(join(dir, 'absent.jsonl')));
    expect(e.message).toBe(`${join(dir, 'absent.jsonl')}: cannot read: ENOENT`);
    expect(e.code).toBe('ENOENT');
  });

  it('refuses a file larger than one string can hold, before reading it', () => {
    const big = write('big.jsonl', '');
    truncateSync(big, MAX_HISTORY_BYTES + 1); // sparse: takes no disk space
    expect(errorOf(() => readHistoryFile(big)).message).toMatch(/bytes: larger than the \d+ bytes a history may have$/);
  });

  it('refuses bytes that are not UTF-8, naming the line of the first', () => {
    const bytes = Buffer.from(text);
    const line3 = bytes.indexOf('p1-0');
    const bad = Buffer.from(bytes);
    bad[line3 + 1] = 0xff;
    expect(errorOf(() => readLockstormFile(write('bad.jsonl', bad))).message).toBe(`${join(dir, 'bad.jsonl')}:4: not UTF-8`);
    expect(errorOf(() => decodeHistory(Uint8Array.of(0x41, 0x0a, 0x0a, 0xc3, 0x28))).line).toBe(3);
    // An encoded surrogate is not UTF-8 either.
    expect(errorOf(() => decodeHistory(Uint8Array.of(0xed, 0xa0, 0x80))).line).toBe(1);
  });

  it('two owners differing only in a byte that is not UTF-8 are refused, not merged', () => {
    // Lossy decoding would turn both into "p\uFFFD" and hide the double holder.
    const two = text.replaceAll('p0-0', 'p\u0001').replaceAll('p1-0', 'p\u0002');
    const bytes = Buffer.from(two);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 1) bytes[i] = 0xfe;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 2) bytes[i] = 0xff;
    expect(errorOf(() => readLockstormFile(write('merged.jsonl', bytes))).message).toMatch(/:2: not UTF-8$/);
  });

  it('drops a character cut off at the very end of the file: a torn last line', () => {
    const torn = Buffer.concat([Buffer.from(text + '{"index":5,"key":"'), Buffer.from('é').subarray(0, 1)]);
    expect(readHistoryFile(write('torn.jsonl', torn))).toBe(text + '{"index":5,"key":"');
    expect(readLockstormFile(join(dir, 'torn.jsonl'))).toEqual(events);
  });
});
