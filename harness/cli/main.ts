import { Command, CommanderError } from 'commander';
import { UserError } from './errors.ts';
import { registerCommands } from './commands.ts';

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

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander has already printed its own one-line message; help and version are not errors.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    console.error(`lockstorm: ${err.message}`);
    return err.exitCode;
  }
  console.error(`lockstorm: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 255;
}
