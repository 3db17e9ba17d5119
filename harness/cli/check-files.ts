// What `lockstorm check FILE...` does once its arguments are parsed (check.ts defines the command
// and loads this module only when it runs, so other commands and --help never load a checker).
// The HTML view and the file writer (which brings the whole run report and its config schema)
// load only when --html asks for them: a plain check starts faster without them.

import type { Command } from 'commander';
import type { Anomaly } from '../../checkers/anomaly.ts';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import { analyzePaired } from '../../checkers/lock/analyze.ts';
import { checkContextFor } from '../report/check-context.ts';
import type { CheckResult } from '../../checkers/linearizability/types.ts';
import { witnessOf, type Witness } from '../../checkers/linearizability/witness.ts';
import type { ModelName } from '../../checkers/models/names.ts';
import { HistoryError } from '../../checkers/readers/history-error.ts';
import { readHistoryFile } from '../../checkers/readers/read-file.ts';
import { parseLockstormHistory } from '../../checkers/readers/lockstorm.ts';
import type { Format } from '../../checkers/readers/formats.ts';
import { detectFormat, loadHistory, noOperationsToCheck, refuseModelForLockstorm, type LoadedHistory } from '../../checkers/readers/load.ts';
import { pairHistory } from '../../history/index.ts';
import { escapeVisible, visibleJson } from '../report/escape.ts';
import { checkResultsDirs, type CheckDirFlags } from './check-dir.ts';
import { UserError } from '../core/errors.ts';

export interface CheckFileOptions {
  model?: ModelName;
  format?: Format;
  timeoutMs?: number;
}

/**
 * One line of `--json`: {"file","model","verdict","ops","ms", ...witness}, then, for a lockstorm
 * history, "anomalies": what the lock checkers proved (empty when nothing).
 */
export type FileCheck = { file: string; model: string; ops: number; ms: number } & Witness & { anomalies?: Anomaly[] };

export interface CheckedFile {
  summary: FileCheck;
  history: LoadedHistory;
  result: CheckResult;
}

/** Reads, checks and summarises one file; throws HistoryError (naming the file) on bad input. */
export function checkFile(file: string, opts: CheckFileOptions = {}): CheckedFile {
  // Refuses FIFOs and devices without blocking, and names the line of invalid UTF-8.
  const text = readHistoryFile(file);
  const started = performance.now();
  let history: LoadedHistory;
  let result: CheckResult;
  let anomalies: Anomaly[] | undefined;
  try {
    if ((opts.format ?? detectFormat(file, text)) === 'lockstorm') {
      ({ history, result, anomalies } = checkLockstorm(text, opts));
    } else {
      history = loadHistory(file, text, { format: opts.format, model: opts.model });
      result = checkOperations(history.model, history.ops, { timeoutMs: opts.timeoutMs });
    }
  } catch (e) {
    if (e instanceof HistoryError) throw e.inFile(file);
    throw e;
  }
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const witness = witnessOf(history.model, history.ops, result);
  // Key order matters to readers of --json: file, model, verdict, ops, ms, then the witness, then anomalies.
  const summary = Object.assign({ file, model: history.modelName, verdict: witness.verdict, ops: history.ops.length, ms }, witness) as FileCheck;
  if (anomalies !== undefined) summary.anomalies = anomalies;
  return { summary, history, result };
}

/** A lockstorm history, judged as `run` judges a cell: every lock checker, one linearizability search. */
function checkLockstorm(text: string, opts: CheckFileOptions): { history: LoadedHistory; result: CheckResult; anomalies: Anomaly[] } {
  refuseModelForLockstorm(opts.model);
  const events = parseLockstormHistory(text);
  const paired = pairHistory(events);
  const analysis = analyzePaired(paired, checkContextFor(events, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }));
  const search = analysis.linearizability!;
  if (search.ops.length === 0) throw noOperationsToCheck('lock');
  return {
    history: { format: 'lockstorm', modelName: 'lock', model: search.model, ops: search.ops },
    result: search.result,
    anomalies: analysis.anomalies,
  };
}

/** The terminal lines of one file: file names, owners and reasons are data, so controls and bidi characters are shown escaped. */
export function humanLine(s: FileCheck): string {
  return rawLines(s).map((line) => escapeVisible(line)).join('\n');
}

/** The verdict line, then one indented line per lock anomaly. */
function rawLines(s: FileCheck): string[] {
  return [searchLine(s), ...(s.anomalies ?? []).map((a) => `  ${a.kind} on ${a.key}: ${a.explanation}`)];
}

function searchLine(s: FileCheck): string {
  const head = `${s.file}: ${s.verdict} (${s.model}, ${s.ops} ops, ${s.ms} ms)`;
  const found = s.anomalies?.length ? `; ${s.anomalies.length} lock ${s.anomalies.length === 1 ? 'anomaly' : 'anomalies'}:` : '';
  if (s.verdict === 'illegal') {
    const where = s.partition === '' ? '' : ` in partition ${JSON.stringify(s.partition)}`;
    return `${head}: after ${s.partialLength} linearized operations${where}, p${s.stuck.process} ${s.stuck.op} cannot be placed${found}`;
  }
  if (s.verdict === 'unknown') return `${head}: ${s.reason}${found}`;
  return `${head}${found}`;
}

export interface CheckCommandOptions {
  model?: ModelName;
  format?: Format;
  timeout: string;
  json?: boolean;
  html?: string;
}

/** The `check` command: sets process.exitCode (0 ok, 1 illegal or anomalies, 3 unknown, 2 bad input). */
export async function checkCommand(files: string[], o: CheckCommandOptions, cmd: Command): Promise<void> {
  const given: CheckDirFlags = {
    model: o.model !== undefined,
    format: o.format !== undefined,
    html: o.html !== undefined,
    json: o.json === true,
    timeout: cmd.getOptionValueSource('timeout') === 'cli',
  };
  const dirCode = await checkResultsDirs(files, given);
  if (dirCode !== null) return void (process.exitCode = dirCode);
  const timeout = Number(o.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UserError(`--timeout: expected a positive number of seconds, got '${o.timeout}'`);
  // Before any work: the view must never be written over a history it shows.
  const html = o.html ? await htmlOutput(o.html) : undefined;
  if (html) {
    await html.refuseInputAsOutput(html.path, files, '--html');
    await html.refuseDirectory(html.path).catch((e: unknown) => {
      throw e instanceof UserError ? new UserError(`--html: ${e.message}`) : e;
    });
  }
  const fragments: string[] = [];
  let badInput = false;
  let illegal = false;
  let unknown = false;
  for (const file of files) {
    let checked: CheckedFile;
    try {
      checked = checkFile(file, { model: o.model, format: o.format, timeoutMs: timeout * 1000 });
    } catch (e) {
      if (!(e instanceof HistoryError)) throw e;
      console.error(`lockstorm: ${escapeVisible(e.oneLine())}`);
      badInput = true;
      continue;
    }
    const s = checked.summary;
    illegal ||= s.verdict === 'illegal' || (s.anomalies?.length ?? 0) > 0;
    unknown ||= s.verdict === 'unknown';
    console.log(o.json ? visibleJson(s) : humanLine(s));
    if (html) {
      const { model, ops } = checked.history;
      fragments.push(html.renderLinearizationHtml({ title: file, model, ops, result: checked.result }));
    }
  }
  if (html) {
    // The fragments escaped their markup; controls and bidi characters from the data are shown too.
    const page = escapeVisible(html.renderHtmlPage('lockstorm check', fragments), { keepLayout: true });
    try {
      await html.writeFileAtomically(html.path, page);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`--html: ${e.message}`);
      throw e;
    }
  }
  process.exitCode = badInput ? 2 : illegal ? 1 : unknown ? 3 : 0;
}

/** What --html needs: where to write, the view's renderer and the safe file writer. */
async function htmlOutput(path: string) {
  const [view, write] = await Promise.all([import('../../checkers/visualize/html.ts'), import('../report/write.ts')]);
  return {
    path,
    renderHtmlPage: view.renderHtmlPage,
    renderLinearizationHtml: view.renderLinearizationHtml,
    refuseInputAsOutput: write.refuseInputAsOutput,
    refuseDirectory: write.refuseDirectory,
    writeFileAtomically: write.writeFileAtomically,
  };
}
