// The external-client session against real child processes (a small node script speaking the
// protocol, ./fixtures/fake-client.mjs): good replies, and each way a child can break the
// protocol, recorded as `info` with the reason, the child killed and a fresh one started.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LockOp } from '../../../history/index.ts';
import { ExternalSession, REPLY_GRACE_MS, runSetup, type SessionConfig } from './session.ts';
import { ReportedTables } from './writes.ts';

const FAKE = join(import.meta.dirname, 'fixtures', 'fake-client.mjs');
const OP_TIMEOUT_MS = 300;
const open: ExternalSession[] = [];

function session(args: string[], process = 0, command = [globalThis.process.execPath, FAKE, ...args]) {
  const logDir = mkdtempSync(join(tmpdir(), 'lockstorm-external-'));
  const cfg: SessionConfig = {
    command,
    cwd: import.meta.dirname,
    logDir,
    opTimeoutMs: OP_TIMEOUT_MS,
    tables: new ReportedTables(),
    common: (p) => ({
      process: p,
      contact_points: ['127.0.0.1:9101'],
      keyspace: 'lockstorm_clients',
      local_dc: 'datacenter1',
      settings: { ttl_s: 60, write_cl: 'QUORUM', read_cl: 'QUORUM', serial_cl: 'SERIAL', op_timeout_ms: OP_TIMEOUT_MS, timestamps: 'server' },
    }),
  };
  const s = new ExternalSession(cfg, process);
  open.push(s);
  return { s, logDir };
}

const acquire = (key: string, owner: string): LockOp => ({ f: 'acquire', key, owner });
const read = (key: string): LockOp => ({ f: 'read', key });
const starts = (logDir: string, process: number) => readFileSync(join(logDir, `p${process}.log`), 'utf8').match(/fake client \d+ started/g)?.length ?? 0;

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('external client session', () => {
  it('runs operations, turns reported writes into statement records, and logs stderr per process', async () => {
    const { s, logDir } = session([]);
    await s.start();
    s.begin();
    expect(await s.operation(acquire('k1', 'p0-0'), {})).toEqual({ type: 'ok' });
    expect(s.statementsSent()).toEqual([
      { kind: 'write', cql: 'UPDATE fake_locks SET owner = ? WHERE id = ?', params: ['p0-0', 'k1'], cl: 'unknown', timestamp: null, ttl: null, outcome: 'applied' },
    ]);
    s.begin();
    expect(await s.operation(acquire('k1', 'p0-1'), {})).toEqual({ type: 'fail', value: { state: 'held', owner: 'p0-0', row: null } });
    s.begin();
    const r = await s.operation(read('k1'), { readCl: 'SERIAL' });
    expect(r).toEqual({ type: 'ok', value: { state: 'held', owner: 'p0-0', row: { owner: 'p0-0' } } });
    expect(s.statementsSent()).toEqual([
      { kind: 'read', cql: 'SELECT owner FROM fake_locks WHERE id = ?', params: ['k1'], cl: 'unknown', timestamp: null, ttl: null, outcome: 'applied' },
    ]);
    const log = readFileSync(join(logDir, 'p0.log'), 'utf8');
    expect(log).toContain(`started in ${import.meta.dirname}`);
    expect(log).toContain('init process 0 via 127.0.0.1:9101 keyspace lockstorm_clients');
  });

  it('records no statements for a client that reports no writes', async () => {
    const { s } = session(['no-writes', '0']);
    await s.start();
    s.begin();
    expect(await s.operation(acquire('k1', 'p0-0'), {})).toEqual({ type: 'ok' });
    expect(s.statementsSent()).toBeUndefined();
  });

  const broken: Array<[string, RegExp]> = [
    ['bad-json', /^client protocol: not a valid reply: not JSON: "\{\\"type\\":\\"ok\\","; the client was killed$/],
    ['wrong-id', /^client protocol: reply id 101 does not answer request id 1; the client was killed$/],
    ['hang', new RegExp(`^client protocol: no reply within ${OP_TIMEOUT_MS + REPLY_GRACE_MS} ms; the client was killed$`)],
    ['crash', /^client protocol: the client exited with code 3 before replying; the client was killed$/],
    ['bad-reply', /^client protocol: not a valid reply: type: .*maybe.*; the client was killed$/],
  ];
  for (const [mode, line] of broken) {
    it(`${mode}: the operation is info with the reason, and the next one gets a fresh child`, async () => {
      const marker = join(mkdtempSync(join(tmpdir(), 'lockstorm-marker-')), 'misbehaved');
      const { s, logDir } = session([mode, '1', marker]);
      await s.start();
      s.begin();
      const r = await s.operation(acquire('k1', 'p0-0'), {});
      expect(r.type).toBe('info');
      expect(r.type === 'info' && r.error).toMatch(line);
      expect(s.statementsSent()).toBeUndefined();
      // The broken child is gone; the next operation starts (and initialises) a new one.
      s.begin();
      expect(await s.operation(acquire('k2', 'p0-1'), {})).toEqual({ type: 'ok' });
      expect(starts(logDir, 0)).toBe(2);
    });
  }

  it('a retired process gets a fresh child under its new number', async () => {
    const { s, logDir } = session([], 0);
    await s.start();
    s.begin();
    await s.operation(acquire('k1', 'p0-0'), {});
    s.retire(7);
    s.begin();
    // The fresh child does not hold what the old one did: it is a new client process.
    expect(await s.operation(read('k1'), {})).toEqual({ type: 'ok', value: { state: 'free', owner: null, row: null } });
    expect(readdirSync(logDir).sort()).toEqual(['p0.log', 'p7.log']);
    expect(readFileSync(join(logDir, 'p7.log'), 'utf8')).toContain('init process 7');
  });

  it('a child that ignores shutdown is killed after 5 s', async () => {
    const { s } = session(['deaf', '0']);
    await s.start();
    const t0 = performance.now();
    await s.close();
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(4_900);
    expect(took).toBeLessThan(8_000);
  });

  it('a command that cannot start fails the operation (it never reached a client)', async () => {
    const { s } = session([], 0, ['/nonexistent/lock-client']);
    await expect(s.start()).rejects.toThrow(/process 0: the client could not be started: spawn \/nonexistent\/lock-client ENOENT before replying/);
    s.begin();
    const r = await s.operation(acquire('k1', 'p0-0'), {});
    expect(r).toMatchObject({ type: 'fail', error: expect.stringMatching(/^client did not start: process 0: the client could not be started/) });
  });
});

describe('external client setup and start', () => {
  const common = {
    process: 0,
    contact_points: ['127.0.0.1:9101'],
    keyspace: 'lockstorm_clients',
    local_dc: 'datacenter1',
    settings: { ttl_s: 60, write_cl: 'QUORUM', read_cl: 'QUORUM', serial_cl: 'SERIAL', op_timeout_ms: 1000, timestamps: 'server' },
  };
  const logPath = () => join(mkdtempSync(join(tmpdir(), 'lockstorm-setup-')), 'setup.log');

  it('a setup answered setup_ok passes; any other answer is one line naming it and the log', async () => {
    await runSetup([process.execPath, FAKE], import.meta.dirname, logPath(), common);
    const log = logPath();
    await expect(runSetup([process.execPath, FAKE, 'setup-bad'], import.meta.dirname, log, common)).rejects.toThrow(
      `setup failed: expected {"type":"setup_ok"}: type: Invalid input: expected "setup_ok" in "{\\"type\\":\\"ready\\"}" (its stderr: ${log})`,
    );
  });

  it('a child that exits on init cannot start: the error names the process and its log', async () => {
    const { s, logDir } = session(['init-crash', '0']);
    await expect(s.start()).rejects.toThrow(`process 0: the client exited with code 4 before replying (its stderr: ${join(logDir, 'p0.log')})`);
  });
});
