import type { Command } from 'commander';

// Each subcommand lives in its own module beside this one; this file only lists them.
export function registerCommands(program: Command): void {
  void program;
}
