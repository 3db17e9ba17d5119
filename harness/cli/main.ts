import { Command, CommanderError } from 'commander';
import { escapeVisible } from '../report/escape.ts';
import { UserError } from '../core/errors.ts';
import { registerCommands } from './commands.ts';

installBrokenPipeGuard();

const program = new Command('lockstorm')
  .description('Jepsen-style fault injection for Cassandra lock recipes')
  .exitOverride()
  .showHelpAfterError(false);

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
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

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
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
