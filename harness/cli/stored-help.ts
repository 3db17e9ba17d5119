// `lockstorm --help` without loading the command framework: the build (bin/build.mjs) runs the
// compiled CLI once with --help, its stdout a pipe, and stores what it printed beside the
// compiled copy of this file. That text is exactly what commander prints whenever stdout is not
// a terminal (its width is then fixed, and the help has no colours). On a terminal the help is
// formatted for the terminal's width, so it is built as usual; from the TypeScript sources there
// is no stored text, so likewise.
import { readFileSync } from 'node:fs';

/** The file the build writes, beside this module's compiled copy. */
export const STORED_HELP_FILE = 'help.txt';

/** The stored top-level help when `args` ask for just that and stdout is not a terminal; undefined otherwise. */
export function storedHelp(args: readonly string[]): string | undefined {
  if (args.length !== 1 || (args[0] !== '--help' && args[0] !== '-h')) return undefined;
  if (process.stdout.isTTY) return undefined;
  try {
    return readFileSync(new URL(`./${STORED_HELP_FILE}`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
