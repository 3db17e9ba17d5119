// junit.xml as CI servers read it: renderJunit's output, for passing, broken, unknown and
// harness-error cells with hostile names, conforms to the testsuites/testsuite/testcase shape;
// and the checker itself rejects what CI would misread, so the check can fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDebianProgram } from '../harness/report/debian-program.ts';
import { renderJunit } from '../harness/report/junit.ts';
import { makeCell, runResults } from '../harness/runs/generated-runs.fixture.ts';
import { junitProblems, parseXml } from './fixtures/junit/junit-shape.ts';

const XMLLINT = '/usr/bin/xmllint';
const hostile = 'k<&>"\'\x1b[2K\u202e';
const results = runResults(hostile, '20260101-000000-x', [
  makeCell('lwt_ok', 'safe', 'safe'),
  makeCell(`lwt_${hostile}`, 'unsafe', 'safe', ['double-holder', 'lost-release']),
  makeCell('wtd_allowed', 'unsafe', 'unsafe-allowed', ['double-holder']),
  makeCell('lwt_unknown', 'unknown', 'safe'),
  { ...makeCell('lwt_error', 'unknown', 'safe'), met: false, error: `cluster would not start: ${hostile}` },
]);

describe('junit.xml shape', () => {
  it('renderJunit output conforms, counts included', () => {
    const xml = renderJunit(results);
    expect(junitProblems(parseXml(xml))).toEqual([]);
    const suite = parseXml(xml).children[0]!;
    expect(suite.children.filter((c) => c.name === 'testcase')).toHaveLength(5);
    const broken = suite.children.find((c) => c.attrs.name === `lwt_${hostile}`.replace('\x1b', '\\x1b').replace('\u202e', '\\u202e'));
    expect(broken?.children.map((c) => c.name)).toEqual(['failure', 'system-out']);
  });

  it('a failure message is the cell headline on one line; system-out leads with its report section', () => {
    const suite = parseXml(renderJunit(results)).children[0]!;
    const byName = (name: string) => suite.children.find((c) => c.attrs.name === name)!;
    const child = (tc: ReturnType<typeof byName>, name: string) => tc.children.find((c) => c.name === name);
    const broken = suite.children.find((c) => c.attrs.name?.startsWith('lwt_k<&>'))!;
    // makeCell puts each anomaly on key k0, with owners a and b.
    expect(child(broken, 'failure')?.attrs.message).toBe('double-holder ×1 on k0; lost-release ×1 on k0 — first: a and b both held k0');
    expect(child(byName('lwt_unknown'), 'failure')?.attrs.message).toBe('unknown: cut short: no end line');
    expect(child(byName('lwt_error'), 'error')?.attrs.message).toBe('cluster would not start: k<&>"\'\\x1b[2K\\u202e');
    for (const tc of suite.children) {
      for (const c of tc.children) if (c.attrs.message !== undefined) expect(c.attrs.message).not.toMatch(/[\n\r]/);
      const out = child(tc, 'system-out')!.text.split('\n');
      expect(out[0]).toMatch(/^report\.html#cell-[A-Za-z0-9._~-]+$/);
    }
    expect(child(byName('lwt_ok'), 'system-out')!.text.split('\n')[0]).toBe('report.html#cell-lwt_ok');
    expect(child(byName('wtd_allowed'), 'system-out')!.text.split('\n')[0]).toBe('report.html#cell-wtd_allowed');
    expect(child(byName('wtd_allowed'), 'failure')).toBeUndefined();
  });

  it.each([
    ['a wrong root', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="x" tests="0"/>', /root is <testsuite>/],
    ['counts that lie', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s" tests="2" failures="0"><testcase name="a"><failure message="m">t</failure></testcase></testsuite></testsuites>', /tests="2" but 1.*|failures="0" but 1/],
    ['a time that is not seconds', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s" tests="1"><testcase name="a" time="1m"/></testsuite></testsuites>', /time="1m"/],
    ['system-out before failure', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s" tests="1"><testcase name="a"><system-out>x</system-out><failure/></testcase></testsuite></testsuites>', /out of order/],
    ['a testcase without a name', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s" tests="1"><testcase/></testsuite></testsuites>', /no name attribute/],
  ])('rejects %s', (_name, xml, problem) => {
    expect(junitProblems(parseXml(xml)).join('\n')).toMatch(problem);
  });

  it.each([
    ['a raw control character', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="\x1b"/>'],
    ['an unescaped <', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="a<b" tests="0"/></testsuites>'],
    ['a bare &', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="a & b"/>'],
    ['an unclosed element', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s" tests="0">'],
  ])('refuses to parse %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});

// The schema Jenkins' xUnit plugin validates JUnit reports against (test/fixtures/junit/
// junit-10.xsd, MIT, kept with its notice), applied by libxml2's xmllint.
describe('junit.xml against the JUnit XSD', { timeout: 900_000 }, () => {
  const xsd = join(import.meta.dirname, 'fixtures', 'junit', 'junit-10.xsd');
  const scratch = mkdtempSync(join(tmpdir(), 'lockstorm-junit-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function validate(xml: string): { status: number | null; stderr: string } {
    const file = join(scratch, `${Math.random().toString(36).slice(2)}.xml`);
    writeFileSync(file, xml);
    return spawnSync(XMLLINT, ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  }

  it('renderJunit output validates, for passing, broken, unknown and error cells with hostile names', async () => {
    await ensureDebianProgram(XMLLINT, 'libxml2-utils');
    const r = validate(renderJunit(results));
    expect(r.stderr).toMatch(/validates/);
    expect(r.status).toBe(0);
  });

  it('the schema refuses what CI would misread (a testcase without a name), so this check can fail', async () => {
    await ensureDebianProgram(XMLLINT, 'libxml2-utils');
    const broken = renderJunit(results).replace(/(<testcase[^>]*?) name="[^"]*"/, '$1');
    expect(broken).not.toEqual(renderJunit(results));
    const r = validate(broken);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/name.*required|required.*name/i);
  });
});
