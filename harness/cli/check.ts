// `lockstorm check FILE...`: the linearizability verdict for recorded histories; a lockstorm
// history also gets every registered lock checker, in the context its meta line gives, as
// `run` judges it. Exit 0 when all are ok, 1 when any is illegal or shows a lock anomaly,
// 3 when any is unknown (and none illegal), 2 on bad input (one line naming the file and line).
// The work is in check-files.ts.

import { Option, type Command } from 'commander';
import { MODEL_NAMES } from '../../checkers/models/names.ts';
import { FORMATS } from '../../checkers/readers/formats.ts';
import type { CheckCommandOptions } from './check-files.ts';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check histories for linearizability')
    .argument('<files...>', 'history files, or results folders (re-checked against their expectations)')
    .addOption(new Option('--model <name>', 'model to check against').choices([...MODEL_NAMES]))
    .addOption(new Option('--format <format>', 'history format (inferred when absent)').choices([...FORMATS]))
    .option('--timeout <seconds>', 'time budget per file; past it the verdict is unknown', '60')
    .option('--json', 'one JSON object per file per line')
    .option('--html <out>', 'write a self-contained HTML view of the checks')
    .action(async (files: string[], o: CheckCommandOptions, cmd: Command) => {
      // Loaded only now: `--help` and the other commands never load a checker or a reader.
      const { checkCommand } = await import('./check-files.ts');
      await checkCommand(files, o, cmd);
    });
}
