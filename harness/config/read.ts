// Reads a config file's text without ever blocking or filling memory: only a regular file, only
// up to MAX_CONFIG_BYTES, only UTF-8. A FIFO would block a plain read forever and a huge file
// would be parsed whole; both are refused with one line naming the file.
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { UserError } from '../core/errors.ts';
import { configError } from './issues.ts';
import { MAX_CONFIG_BYTES } from './limits.ts';

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function whyUnreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return `cannot be read (${code ?? String(err)})`;
  }
}

/** Refuses anything but a regular file no larger than the bound. */
function checkKind(path: string, info: Stats): void {
  if (!info.isFile()) throw configError(path, `is ${kindOf(info)}, not a config file`);
  if (info.size > MAX_CONFIG_BYTES) throw tooBig(path, info.size);
}

export function tooBig(path: string, bytes: number): UserError {
  return configError(path, `is ${bytes} bytes; a config may be at most ${MAX_CONFIG_BYTES} bytes (${MAX_CONFIG_BYTES / 1024} KiB)`);
}

function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw configError(path, 'is not UTF-8 text');
  }
}

export async function readConfigText(path: string): Promise<string> {
  // stat first: opening a FIFO for reading would wait for a writer.
  let info: Stats;
  try {
    info = await stat(path);
  } catch (err) {
    throw configError(path, whyUnreadable(err));
  }
  checkKind(path, info);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: if the path became a FIFO since the stat, the open returns instead of waiting.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw configError(path, whyUnreadable(err));
  }
  try {
    checkKind(path, await handle.stat());
    // Read one byte past the bound, so a file that grew since the stat is still caught.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > MAX_CONFIG_BYTES) throw tooBig(path, filled);
    }
    return decodeUtf8(path, buffer.subarray(0, filled));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw configError(path, whyUnreadable(err));
  } finally {
    await handle.close();
  }
}
