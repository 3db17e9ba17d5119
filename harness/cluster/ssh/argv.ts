// SSH carries one command string, which the remote login shell parses. lockstorm builds it only
// from an argv, each word single-quoted, so no value (an address, a path, an offset) is ever
// re-parsed as shell syntax; scripts are fixed texts that take their values as "$1", "$2", ….

/** One word for a POSIX shell: wrapped in single quotes, each inner ' written as '\''. */
export function quoteWord(word: string): string {
  if (word.includes('\0')) throw new Error('a command word cannot contain a NUL byte');
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteWord).join(' ');
}

/** `sh -c SCRIPT sh ARG…`: a fixed script with its values as positional parameters. */
export function script(text: string, ...args: string[]): string[] {
  return ['sh', '-c', text, 'sh', ...args];
}
