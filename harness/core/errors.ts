/** An error the user can fix: printed as one line, never with a stack, with its exit code. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
