// Bad input in a history, naming its file and line.

/**
 * Bad input in a history file. `line` is 1-based; the message already reads
 * `file:line: problem` (as far as they are known), so it can be printed as it is.
 * `code` is the errno code when the file could not be read at all (e.g. ENOENT), so callers
 * can tell a history never written from one that is wrong.
 */
export class HistoryError extends Error {
  constructor(
    readonly problem: string,
    readonly line?: number,
    readonly file?: string,
    readonly code?: string,
  ) {
    const where = [file, line].filter((x) => x !== undefined).join(':');
    super(where === '' ? problem : `${where}: ${problem}`);
    this.name = 'HistoryError';
  }

  /** The same error, naming its file. */
  inFile(file: string): HistoryError {
    return new HistoryError(this.problem, this.line, file, this.code);
  }

  oneLine(): string {
    return this.message;
  }
}
