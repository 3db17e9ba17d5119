// results → junit.xml for CI dashboards: one testcase per cell; a broken expectation is a
// <failure> listing each anomaly's explanation; a cell lockstorm could not run is an <error>.
import { escapeMarkup as xmlEscape } from './escape.ts';
import type { CellResult, RunResults } from './results.ts';

function durationSeconds(cell: CellResult): number {
  const ms = cell.params.durationMs;
  return typeof ms === 'number' ? ms / 1000 : 0;
}

function failureText(cell: CellResult): string {
  if (cell.anomalies.length === 0) return `verdict ${cell.verdict}: the checker could not decide, so the cell is not known to be safe`;
  return cell.anomalies.map((a) => `${a.kind} on key ${a.key} (events ${a.witness.join(', ')}): ${a.explanation}`).join('\n');
}

function testcase(cell: CellResult, suite: string): string {
  const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape(cell.name)}" time="${durationSeconds(cell)}"`;
  const props = `      <system-out>${xmlEscape(`verdict=${cell.verdict} expectation=${cell.expectation} ops ok=${cell.ops.ok} fail=${cell.ops.fail} info=${cell.ops.info} anomalies=${cell.anomalies.length}`)}</system-out>\n`;
  if (cell.error !== undefined) {
    return `${open}>\n      <error message="${xmlEscape(cell.error)}" type="harness-error">${xmlEscape(cell.error)}</error>\n${props}    </testcase>\n`;
  }
  if (!cell.met) {
    const message = `expected ${cell.expectation}, got ${cell.verdict} with ${cell.anomalies.length} anomal${cell.anomalies.length === 1 ? 'y' : 'ies'}`;
    return `${open}>\n      <failure message="${xmlEscape(message)}" type="${xmlEscape(cell.verdict)}">${xmlEscape(failureText(cell))}</failure>\n${props}    </testcase>\n`;
  }
  return `${open}>\n${props}    </testcase>\n`;
}

export function renderJunit(results: RunResults): string {
  const failures = results.cells.filter((c) => c.error === undefined && !c.met).length;
  const errors = results.cells.filter((c) => c.error !== undefined).length;
  const time = results.cells.reduce((s, c) => s + durationSeconds(c), 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="lockstorm" tests="${results.cells.length}" failures="${failures}" errors="${errors}" time="${time}">\n` +
    `  <testsuite name="${xmlEscape(results.name)}" tests="${results.cells.length}" failures="${failures}" errors="${errors}" time="${time}">\n` +
    results.cells.map((c) => testcase(c, results.name)).join('') +
    '  </testsuite>\n</testsuites>\n'
  );
}
