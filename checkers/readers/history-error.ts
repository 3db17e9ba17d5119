/**
 * Bad input in a history file. `line` is 1-based; the message already reads
 * `file:line: problem` (as far as they are known), so it can be printed as it is.
 */
export class HistoryError extends Error {
  constructor(
    readonly problem: string,
    readonly line?: number,
    readonly file?: string,
  ) {
    const where = [file, line].filter((x) => x !== undefined).join(':');
    super(where === '' ? problem : `${where}: ${problem}`);
    this.name = 'HistoryError';
  }

  /** The same error, naming its file. */
  inFile(file: string): HistoryError {
    return new HistoryError(this.problem, this.line, file);
  }

  oneLine(): string {
    return this.message;
  }
}
