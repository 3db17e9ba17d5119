import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistoryFile, readHistoryLines } from './read-file.ts';
import { parseLockstormHistory, readLockstormFile } from './lockstorm.ts';

const dir = mkdtempSync(join(tmpdir(), 'lockstorm-read-lines-'));
let n = 0;
function file(bytes: Uint8Array | string): string {
  const path = join(dir, `h${n++}.jsonl`);
  writeFileSync(path, bytes);
  return path;
}

function lines(path: string, chunkBytes: number): { line: string; last: boolean }[] {
  const out: { line: string; last: boolean }[] = [];
  readHistoryLines(path, (line, last) => out.push({ line, last }), chunkBytes);
  return out;
}

const asSplit = (text: string): { line: string; last: boolean }[] => text.split('\n').map((line, i, all) => ({ line, last: i === all.length - 1 }));

describe('readHistoryLines', () => {
  // Multi-byte characters, \r\n endings, blank lines and a last line without its newline, read in
  // chunks of every small size, so each of them is cut at a chunk boundary somewhere.
  const text = '\uFEFF{"a":"é"}\r\n{"b":"日本"}\n\n  \n{"c":"🔒"}\n{"torn":"x';

  it('hands over the lines of the decoded text, whatever the chunk size', () => {
    const path = file(text);
    const whole = asSplit(readHistoryFile(path));
    for (let chunk = 1; chunk <= 24; chunk++) expect(lines(path, chunk)).toEqual(whole);
    expect(lines(path, 1 << 20)).toEqual(whole);
  });

  it('a file ending in its newline ends with an empty last line; an empty file is one empty line', () => {
    expect(lines(file('{"a":1}\n'), 3)).toEqual([
      { line: '{"a":1}', last: false },
      { line: '', last: true },
    ]);
    expect(lines(file(''), 3)).toEqual([{ line: '', last: true }]);
  });

  it('leaves out a character cut off at the very end of the file, as readHistoryFile does', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":1}\n{"b":"'), Buffer.from('日').subarray(0, 2)]);
    const path = file(bytes);
    for (const chunk of [1, 2, 5, 64]) expect(lines(path, chunk)).toEqual(asSplit(readHistoryFile(path)));
  });

  it('refuses a byte that is not UTF-8 with the line readHistoryFile names, even after lines were handed over', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":1}\n{"b":2}\n{"c":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const path = file(bytes);
    expect(() => readHistoryFile(path)).toThrow(/:3: not UTF-8$/);
    for (const chunk of [1, 4, 64]) expect(() => lines(path, chunk)).toThrow(/:3: not UTF-8$/);
  });

  it('a bad byte anywhere in the file wins over an error a line raised before it was reached', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":1}\n'.repeat(4)), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    const path = file(bytes);
    const refuseFirst = (): void =>
      readHistoryLines(
        path,
        () => {
          throw new Error('line error');
        },
        8,
      );
    expect(refuseFirst).toThrow(/:5: not UTF-8$/);
  });
});

describe('readLockstormFile', () => {
  it('reads what parseLockstormHistory reads from the same text, keys the schema does not know left out', () => {
    const text =
      [
        '{"type":"meta","index":0,"time":0,"recipe":"lwt","params":{}}',
        '{"type":"invoke","process":1,"f":"read","key":"k","index":1,"time":5,"extra":true}',
        '{"type":"ok","process":1,"f":"read","key":"k","value":{"state":"free","owner":null,"row":null,"stray":1},"index":2,"time":9}',
      ].join('\n') + '\n';
    const events = readLockstormFile(file(text));
    expect(events).toEqual(parseLockstormHistory(text));
    expect(events[1]).not.toHaveProperty('extra');
    expect(events[2]).toMatchObject({ value: { state: 'free', owner: null, row: null } });
    expect((events[2] as { value: object }).value).not.toHaveProperty('stray');
  });
});
