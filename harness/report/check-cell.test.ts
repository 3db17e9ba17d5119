// A verdict rests on evidence: how the history ended and how many operations it holds. These
// tests build results folders as `lockstorm run` leaves them and judge them the way `run`,
// `report DIR` and `check DIR` do.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHistory, toJsonl, type GeneratedHistoryOptions } from '../../test/fixtures/generated-history.ts';
import { planFromText } from '../config/index.ts';
import { checkCell } from './check-cell.ts';
import { cellHistoryPath, completedWorkloadOps, exitCodeFor, INTERRUPTED_ERROR, type RunResults } from './results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const INTERRUPTED = { status: 'interrupted', reason: 'stopped by an interrupt after 4.1 s of the planned 8.0 s' } as const;

function configText(extra = ''): string {
  return `name: evidence\nrecipe: lwt\nduration_s: 8\nclients: 4\nkeys: 2\nttl_s: 0\ncheck_timeout_s: 20\n${extra}`;
}

function history(over: Partial<GeneratedHistoryOptions> = {}) {
  return generateHistory({ seed: 11, processes: 4, keys: ['k0', 'k1'], durationMs: 4000, faults: [], recipe: 'lwt', ...over });
}

/** A results folder holding `config` and one history per named cell. */
function runDir(config: string, cells: Record<string, ReturnType<typeof history>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-evidence-'));
  writeFileSync(join(dir, 'config.yaml'), config);
  for (const [name, events] of Object.entries(cells)) {
    mkdirSync(join(dir, 'cells', name), { recursive: true });
    writeFileSync(join(dir, cellHistoryPath(name)), toJsonl(events));
  }
  return dir;
}

async function judge(events: ReturnType<typeof history>, extraConfig = '') {
  const config = configText(extraConfig);
  const { plan, config: parsed } = planFromText(config, 'config.yaml', { recipes: ['lwt'] });
  const cell = plan.cells[0]!;
  const dir = runDir(config, { [cell.params.name]: events });
  const { result } = await checkCell(dir, cell, { timeoutMs: parsed.check_timeout_s * 1000, minOps: parsed.min_ops });
  return result;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/lockstorm.mjs'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a safe verdict needs evidence', () => {
  it('a complete history with enough operations and no anomaly is safe, and met', async () => {
    const events = history({ end: { status: 'complete' } });
    expect(completedWorkloadOps(events)).toBeGreaterThan(100);
    const r = await judge(events);
    expect([r.verdict, r.met, r.error, r.verdict_reason]).toEqual(['safe', true, undefined, undefined]);
  });

  it('a history without an end line was cut short: unknown, and a safe expectation is not met', async () => {
    const r = await judge(history());
    expect([r.verdict, r.met, r.error]).toEqual(['unknown', false, undefined]);
    expect(r.verdict_reason).toBe('cut short: no end line');
  });

  it('fewer completed workload operations than min_ops: unknown, naming both numbers', async () => {
    const events = history({ end: { status: 'complete' } });
    const n = completedWorkloadOps(events);
    const r = await judge(events, `min_ops: ${n + 1}\n`);
    expect([r.verdict, r.met, r.error]).toEqual(['unknown', false, undefined]);
    expect(r.verdict_reason).toBe(`${n} operations, fewer than min_ops ${n + 1}`);
    // One operation fewer needed, and the same history is safe again: the floor is exact.
    expect((await judge(events, `min_ops: ${n}\n`)).verdict).toBe('safe');
  });

  it('final reads do not count towards min_ops', async () => {
    const events = history({ end: { status: 'complete' } });
    const all = events.filter((e) => e.type === 'ok' || e.type === 'fail' || e.type === 'info').length;
    const workload = completedWorkloadOps(events);
    expect(all - workload).toBe(2);
    expect((await judge(events, `min_ops: ${workload + 2}\n`)).verdict).toBe('unknown');
  });

  it('an interrupted history keeps its error and its reason; the safe verdict becomes unknown', async () => {
    const r = await judge(history({ end: INTERRUPTED }));
    expect([r.verdict, r.met, r.error]).toEqual(['unknown', false, INTERRUPTED_ERROR]);
    expect(r.verdict_reason).toBe(`interrupted: ${INTERRUPTED.reason}`);
  });

  it('a failed history is the cell\'s run error', async () => {
    const r = await judge(history({ end: { status: 'failed', reason: 'the nemesis could not start reply-lost' } }));
    expect([r.verdict, r.met, r.error]).toEqual(['unknown', false, 'run failed: the nemesis could not start reply-lost']);
  });

  it('an anomaly in a partial history is still proof: unsafe stays unsafe, with or without an end line', async () => {
    for (const end of [undefined, INTERRUPTED]) {
      const r = await judge(history({ doubleHolder: { key: 'x', atMs: 1000 }, ...(end ? { end } : {}) }), 'min_ops: 100000\n');
      expect(r.verdict).toBe('unsafe');
      expect(r.anomalies.map((a) => a.kind)).toContain('double-holder');
      expect(r.verdict_reason).toBeUndefined();
    }
  });
});

describe('report DIR and check DIR on a folder from an interrupted run', () => {
  const config = configText('matrix:\n  write_cl: [ONE, QUORUM]\n');

  it('keep the interrupted cell\'s error and exit 2, whatever results.json said before', () => {
    const dir = runDir(config, {
      'lwt_w-ONE': history({ end: { status: 'complete' } }),
      'lwt_w-QUORUM': history({ seed: 12, end: INTERRUPTED }),
    });
    // A results.json that lost the error (as an older report left it) must not decide anything.
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ name: 'evidence', run: 'x', met: true, cells: [] }));

    const report = cli('report', dir);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(2);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
    expect(results.cells.map((c) => [c.name, c.verdict, c.met, c.error ?? null])).toEqual([
      ['lwt_w-ONE', 'safe', true, null],
      ['lwt_w-QUORUM', 'unknown', false, INTERRUPTED_ERROR],
    ]);
    expect(results.cells[1]!.verdict_reason).toBe(`interrupted: ${INTERRUPTED.reason}`);
    expect(exitCodeFor(results)).toBe(2);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(`interrupted: ${INTERRUPTED.reason}`);

    const check = cli('check', dir);
    expect(check.status).toBe(2);
    expect(check.stdout.split('\n')).toEqual([
      expect.stringMatching(/^lwt_w-ONE: safe; expected safe: met; /),
      expect.stringMatching(new RegExp(`^lwt_w-QUORUM: unknown \\[interrupted: stopped by an interrupt after 4\\.1 s of the planned 8\\.0 s\\]; expected safe: ERROR; .*; ${INTERRUPTED_ERROR}$`)),
      '1 of 2 expectations met',
      '',
    ]);

    // Judged twice, the same: the rewritten results.json feeds nothing back.
    expect(cli('report', dir).status).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(results);
  });

  it('a history cut short (lockstorm killed) breaks a safe expectation: exit 1', () => {
    const dir = runDir(config, {
      'lwt_w-ONE': history({ end: { status: 'complete' } }),
      'lwt_w-QUORUM': history({ seed: 12 }),
    });
    const check = cli('check', dir);
    expect(check.stdout).toMatch(/^lwt_w-QUORUM: unknown \[cut short: no end line\]; expected safe: BROKEN; /m);
    expect(check.status).toBe(1);
  });
});

describe('what a cell check draws', () => {
  it('draws the linearizability search its verdict rests on, and refuses events that do not pair, naming the line', async () => {
    const events = history({ end: { status: 'complete' } });
    const config = configText();
    const { plan, config: parsed } = planFromText(config, 'config.yaml', { recipes: ['lwt'] });
    const cell = plan.cells[0]!;
    const opts = { timeoutMs: parsed.check_timeout_s * 1000, minOps: parsed.min_ops };
    const drawn = await checkCell(runDir(config, { [cell.params.name]: events }), cell, opts);
    expect(drawn.result.verdict).toBe('safe');
    expect(drawn.linearizabilityHtml).toBeDefined();

    // A completion moved to a process that has nothing pending.
    const at = events.findIndex((e) => e.type === 'ok');
    const broken = events.map((e, i) => (i === at ? { ...e, process: 9999 } : e));
    const refused = await checkCell(runDir(config, { [cell.params.name]: broken }), cell, opts);
    expect(refused.result.error).toMatch(new RegExp(`^history unreadable: .*history\\.jsonl:${at + 1}: process 9999 completes \\w+ without a pending invocation$`));
    expect([refused.result.verdict, refused.events]).toEqual(['unknown', []]);
  });
});
