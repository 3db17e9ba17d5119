// The one way a history file comes off the disk, whatever its format: only a regular file, only
// as large as one string can hold, and only valid UTF-8. Anything else is a HistoryError naming
// the file (and the line, for a byte that is not UTF-8), never a hang or a silent repair.

import { constants as bufferConstants, isUtf8 } from 'node:buffer';
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { HistoryError } from './history-error.ts';

/**
 * Readers work on the whole text as one string, and V8 cannot build a string longer than
 * MAX_STRING_LENGTH code units (about 512 MiB on 64-bit Node). UTF-8 never decodes to more code
 * units than it has bytes, so a file up to this many bytes always fits; a larger one would die in
 * the decoder with a RangeError instead of a clear line. Recorded cells are far below it (tens of
 * MB for a long cell).
 */
export const MAX_HISTORY_BYTES = bufferConstants.MAX_STRING_LENGTH;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function cannotRead(path: string, e: unknown): HistoryError {
  const code = (e as NodeJS.ErrnoException).code;
  return new HistoryError(`cannot read: ${code ?? (e as Error).message}`, undefined, path, code);
}

/** Refuses what a history cannot be, before a read could block on it or exhaust memory. */
function checkStats(path: string, s: Stats): void {
  if (!s.isFile()) throw new HistoryError(`${kindOf(s)}, not a history file`, undefined, path);
  if (s.size > MAX_HISTORY_BYTES) {
    throw new HistoryError(`${s.size} bytes: larger than the ${MAX_HISTORY_BYTES} bytes a history may have`, undefined, path);
  }
}

/** Opens a history file for reading after the checks of checkStats; returns its descriptor and size then. */
function openHistoryFile(path: string): { fd: number; size: number } {
  let pre: Stats;
  try {
    pre = statSync(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
  // Checked before opening: opening a FIFO for reading blocks until a writer shows up.
  checkStats(path, pre);
  let fd: number;
  try {
    // O_NONBLOCK: should the path become a FIFO between the stat and the open, the open returns
    // at once instead of waiting for a writer; the fstat below then refuses it.
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const s = fstatSync(fd);
    checkStats(path, s);
    return { fd, size: s.size };
  } catch (e) {
    closeSync(fd);
    if (e instanceof HistoryError) throw e;
    throw cannotRead(path, e);
  }
}

/** Reads a history file as text; throws HistoryError naming the file on anything else. */
export function readHistoryFile(path: string): string {
  const { fd, size } = openHistoryFile(path);
  let bytes: Buffer;
  try {
    // Only the bytes there when it was opened: a history still being appended to is read as
    // the prefix it was then (its last line may be torn, which the readers know about).
    bytes = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, null);
      if (n === 0) break;
      got += n;
    }
    bytes = bytes.subarray(0, got);
  } catch (e) {
    throw cannotRead(path, e);
  } finally {
    closeSync(fd);
  }
  return decodeHistory(bytes, path);
}

/** Bytes read at a time by readHistoryLines. */
const CHUNK_BYTES = 8 << 20;

/**
 * The text readHistoryFile would return, handed over line by line (split at `\n`, as
 * `text.split('\n')` would), `last` set on the text after the final newline. Only one chunk of the
 * file is in memory at a time: for a history of a million operations, holding its bytes and its
 * text at once would take most of a small runner's memory before a line is parsed. The same
 * refusals as readHistoryFile, with the same lines.
 */
export function readHistoryLines(path: string, onLine: (line: string, last: boolean) => void, chunkBytes = CHUNK_BYTES): void {
  const { fd, size } = openHistoryFile(path);
  // Streaming mode holds back a sequence cut at a chunk boundary until the next chunk, and one
  // cut at the very end of the file is never flushed: left out, as decodeHistory does.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(size, 1)));
  let carry = '';
  let badUtf8 = false;
  let lineError: unknown;
  try {
    let left = size;
    while (left > 0) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, Math.min(buffer.length, left), null);
      } catch (e) {
        throw cannotRead(path, e);
      }
      if (n === 0) break;
      left -= n;
      let text: string;
      try {
        text = carry + decoder.decode(buffer.subarray(0, n), { stream: true });
      } catch {
        badUtf8 = true;
        break;
      }
      let start = 0;
      try {
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
          onLine(text.slice(start, end), false);
          start = end + 1;
        }
      } catch (e) {
        lineError = e;
        break;
      }
      carry = text.slice(start);
    }
  } finally {
    closeSync(fd);
  }
  if (badUtf8 || lineError !== undefined) {
    // Whole-file rules come first, as when the whole text was decoded before any line was read:
    // a byte that is not UTF-8 anywhere in the file is the error, on the line readHistoryFile
    // counts over the whole file. Only error paths read the file whole.
    readHistoryFile(path);
    throw lineError ?? new HistoryError('not UTF-8', undefined, path);
  }
  onLine(carry, true);
}

/**
 * Strict UTF-8: a byte that is not UTF-8 would become U+FFFD, and two different owner tokens
 * could then read as one. The one exception is a multi-byte character cut off at the very end
 * of the file, the mark of a last line whose write was torn: it is left out, and the torn line
 * is the format reader's to judge. A leading byte order mark is dropped.
 */
export function decodeHistory(bytes: Uint8Array, file?: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Streaming mode holds back an incomplete sequence at the end instead of failing on it.
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    throw new HistoryError('not UTF-8', firstBadLine(bytes), file);
  }
}

/** The 1-based line holding the first byte that is not UTF-8. */
function firstBadLine(bytes: Uint8Array): number {
  // A newline byte never occurs inside a multi-byte UTF-8 sequence, so lines are valid or not
  // on their own.
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    line += 1;
    start = end + 1;
  }
  return line - 1;
}
