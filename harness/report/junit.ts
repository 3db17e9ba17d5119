// results → junit.xml for CI dashboards: one testcase per cell. A broken expectation is a
// <failure> whose message is the cell's headline (its anomalies in one line, or why its verdict is
// unknown) and whose text lists each anomaly's explanation; a cell lockstorm could not run is an
// <error> with its error line. <system-out> leads with the cell's section in report.html.
import { cellReportPath } from './anchors.ts';
import { escapeMarkup as xmlEscape } from './escape.ts';
import type { CellReportInput } from './html.ts';
import type { CellResult, RunResults } from './results.ts';
import { anomalyHeadline } from './summary.ts';

function durationSeconds(cell: CellResult): number {
  const ms = cell.params.durationMs;
  return typeof ms === 'number' ? ms / 1000 : 0;
}

/** CI shows the message on one line: whitespace runs (newlines included) become one space. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

type TimeOf = (index: number) => number | undefined;

/** The failure message: what broke, in a line a CI list can show. */
export function failureMessage(cell: CellResult, timeOf?: TimeOf): string {
  if (cell.anomalies.length > 0) return anomalyHeadline(cell.anomalies, timeOf);
  if (cell.verdict === 'unknown') return oneLine(`unknown: ${cell.verdict_reason ?? 'no reason recorded'}`);
  return `expected ${cell.expectation}, got ${cell.verdict}`;
}

function failureText(cell: CellResult): string {
  if (cell.anomalies.length === 0) return `verdict ${cell.verdict}: ${cell.verdict_reason ?? 'the checker could not decide'}, so the cell is not known to be safe`;
  return cell.anomalies.map((a) => `${a.kind} on key ${a.key} (events ${a.witness.join(', ')}): ${a.explanation}`).join('\n');
}

function testcase(cell: CellResult, suite: string, timeOf: TimeOf | undefined): string {
  const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape(cell.name)}" time="${durationSeconds(cell)}"`;
  const out =
    `${cellReportPath(cell.name)}\n` +
    `verdict=${cell.verdict} expectation=${cell.expectation} ops ok=${cell.ops.ok} fail=${cell.ops.fail} info=${cell.ops.info} anomalies=${cell.anomalies.length}`;
  const props = `      <system-out>${xmlEscape(out)}</system-out>\n`;
  if (cell.error !== undefined) {
    const line = oneLine(cell.error.split('\n')[0] ?? cell.error);
    return `${open}>\n      <error message="${xmlEscape(line)}" type="harness-error">${xmlEscape(cell.error)}</error>\n${props}    </testcase>\n`;
  }
  if (!cell.met) {
    return `${open}>\n      <failure message="${xmlEscape(failureMessage(cell, timeOf))}" type="${xmlEscape(cell.verdict)}">${xmlEscape(failureText(cell))}</failure>\n${props}    </testcase>\n`;
  }
  return `${open}>\n${props}    </testcase>\n`;
}

/** `cells`, when given, lend each cell's witness times so the message can say when the first anomaly happened. */
export function renderJunit(results: RunResults, cells: readonly CellReportInput[] = []): string {
  const failures = results.cells.filter((c) => c.error === undefined && !c.met).length;
  const errors = results.cells.filter((c) => c.error !== undefined).length;
  const time = results.cells.reduce((s, c) => s + durationSeconds(c), 0);
  const timeOf = (name: string): TimeOf | undefined => {
    const times = cells.find((c) => c.result.name === name)?.history?.witnessTimes;
    return times ? (i) => times.get(i) : undefined;
  };
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="lockstorm" tests="${results.cells.length}" failures="${failures}" errors="${errors}" time="${time}">\n` +
    `  <testsuite name="${xmlEscape(results.name)}" tests="${results.cells.length}" failures="${failures}" errors="${errors}" time="${time}">\n` +
    results.cells.map((c) => testcase(c, results.name, c.met ? undefined : timeOf(c.name))).join('') +
    '  </testsuite>\n</testsuites>\n'
  );
}
