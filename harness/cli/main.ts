import type { CommanderError } from 'commander';
import { escapeVisible } from '../report/escape.ts';
import { UserError } from '../core/errors.ts';
import { storedHelp } from './stored-help.ts';

installBrokenPipeGuard();

// The command framework and the command definitions load only when the stored help does not
// answer (stored-help.ts): `--help` is the command a new user runs first.
const help = storedHelp(process.argv.slice(2));
if (help !== undefined) process.stdout.write(help);
else await runCommands();

async function runCommands(): Promise<void> {
  const [{ Command, CommanderError }, { registerCommands }] = await Promise.all([import('commander'), import('./commands.ts')]);
  const program = new Command('lockstorm')
    .description('Jepsen-style fault injection for Cassandra lock recipes')
    .exitOverride()
    .showHelpAfterError(false);

  registerCommands(program);

  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err, CommanderError);
  }
}

/**
 * A reader that went away (`lockstorm check a b c | head -1`) is not an error of the command: once
 * stdout or stderr reports EPIPE, further output to it is dropped and the command ends with the
 * exit code it meant, without a word or a stack.
 */
function installBrokenPipeGuard(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      stream.write = (() => true) as typeof stream.write;
    });
  }
}

function exitCodeFor(err: unknown, commanderError: typeof CommanderError): number {
  if (err instanceof commanderError) {
    // commander has already printed its own one-line message; help and version are not errors.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    console.error(`lockstorm: ${escapeVisible(err.message)}`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (process.env.LOCKSTORM_DEBUG === '1') {
    console.error(`lockstorm: internal error: ${err instanceof Error ? (err.stack ?? message) : message}`);
  } else {
    const first = escapeVisible(message.split('\n')[0] ?? message);
    console.error(`lockstorm: internal error: ${first} (rerun with LOCKSTORM_DEBUG=1 for the stack)`);
  }
  return 255;
}
