/** Bad input in a history file; `line` is 1-based. Printed as `file:line: message`. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'HistoryError';
  }

  /** The same error, naming its file. */
  inFile(file: string): HistoryError {
    return new HistoryError(this.message, this.line, file);
  }

  oneLine(): string {
    const where = [this.file, this.line].filter((x) => x !== undefined).join(':');
    return where === '' ? this.message : `${where}: ${this.message}`;
  }
}
