// `lockstorm export FILE --format edn|porcupine-kv [--key K] [--out OUT]`: a lockstorm history's
// linearizability part as a cas-register history other tools read (docs/export.md). Prints to
// stdout without --out; never writes over the input; exit 2 with one line on anything it
// cannot export exactly.
import { Option, type Command } from 'commander';
import { EXPORT_FORMATS, renderExport, type ExportFormat } from '../../checkers/export/render.ts';
import { UserError } from '../core/errors.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description("write a lockstorm history's linearizability part as a Jepsen EDN or Porcupine kv-form cas-register history")
    .argument('<file>', 'a lockstorm history.jsonl')
    .addOption(new Option('--format <format>', 'output form').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--key <key>', 'the lock key to export (required when the history has more than one)')
    .option('--out <out>', 'write here (through a temporary file and a rename) instead of stdout')
    .action(async (file: string, o: { format: ExportFormat; key?: string; out?: string }) => {
      // Loaded only now, so `--help` and the other commands do not load the history reader.
      const { ExportRefusal, lockToRegister } = await import('../../checkers/export/lock-register.ts');
      const { HistoryError } = await import('../../checkers/readers/history-error.ts');
      const { readLockstormFile } = await import('../../checkers/readers/lockstorm.ts');
      const { refuseInputAsOutput, writeFileAtomically } = await import('../report/write.ts');
      if (o.out !== undefined) await refuseInputAsOutput(o.out, [file], '--out');
      let events;
      try {
        events = readLockstormFile(file);
      } catch (e) {
        if (e instanceof HistoryError) throw new UserError(e.oneLine());
        throw e;
      }
      let text: string;
      try {
        text = renderExport(lockToRegister(events, { key: o.key }), o.format);
      } catch (e) {
        if (e instanceof ExportRefusal) throw new UserError(`${file}: cannot export exactly: ${e.message}`);
        throw e;
      }
      if (o.out === undefined) process.stdout.write(text);
      else {
        try {
          await writeFileAtomically(o.out, text);
        } catch (e) {
          throw e instanceof UserError ? new UserError(`--out: ${e.message}`) : e;
        }
      }
    });
}
