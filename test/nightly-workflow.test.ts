// The nightly workflow docs/nightly-ci.md describes is a real file, and GitHub's rules accept it:
// actionlint (pinned) checks it, and a broken copy must fail, so this test can fail.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const WORKFLOW = join(ROOT, 'examples/github-actions/nightly.yml');
const VERSION = 'v1.7.12';
/** Project-local and git-ignored; the version is in the folder so a pin change reinstalls. */
const BIN_DIR = join(ROOT, '.cache/bin', `actionlint-${VERSION}`);
const ACTIONLINT = join(BIN_DIR, 'actionlint');

function actionlint(file: string) {
  // -no-color: plain messages; -shellcheck= and -pyflakes=: only actionlint's own rules, never
  // whatever else happens to be on the PATH.
  return spawnSync(ACTIONLINT, ['-no-color', '-shellcheck=', '-pyflakes=', file], { encoding: 'utf8' });
}

describe('examples/github-actions/nightly.yml', () => {
  beforeAll(() => {
    if (existsSync(ACTIONLINT)) return;
    const r = spawnSync('go', ['install', `github.com/rhysd/actionlint/cmd/actionlint@${VERSION}`], {
      encoding: 'utf8',
      env: { ...process.env, GOBIN: BIN_DIR },
      timeout: 540_000,
    });
    if (r.status !== 0) throw new Error(`go install actionlint@${VERSION} failed: ${r.error?.message ?? r.stderr}`);
  }, 600_000);

  it('passes actionlint', () => {
    const r = actionlint(WORKFLOW);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a broken copy fails actionlint (the check can fail)', () => {
    const broken = readFileSync(WORKFLOW, 'utf8').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minutes: "soon"').replace('steps.run.outputs.code', 'steps.runn.outputs.code');
    const file = join(mkdtempSync(join(tmpdir(), 'lockstorm-actionlint-')), 'nightly.yml');
    writeFileSync(file, broken);
    const r = actionlint(file);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/runn/);
  });

  it('is the workflow docs/nightly-ci.md describes, diff gate included', () => {
    const doc = readFileSync(join(ROOT, 'docs/nightly-ci.md'), 'utf8');
    expect(doc).toContain('examples/github-actions/nightly.yml');
    const workflow = readFileSync(WORKFLOW, 'utf8');
    const gate = /```yaml\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('## Gating')))![1]!;
    expect(workflow).toContain(gate);
    expect(workflow).toContain('npx lockstorm run configs/nightly.yaml');
  });
});
