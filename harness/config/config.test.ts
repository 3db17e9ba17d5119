import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { parseTimestampMode } from './expand.ts';
import { loadPlan, planFromText } from './index.ts';

const known = { recipes: ['write-then-delete', 'lwt', 'lwt-ttl-plain-release'] };

function plan(yaml: string) {
  return planFromText(yaml, 'test.yaml', known).plan;
}

function errorOf(yaml: string): string {
  try {
    planFromText(yaml, 'test.yaml', known);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    return (err as UserError).message;
  }
  throw new Error('expected the config to be rejected');
}

const minimal = 'name: mini\nrecipe: lwt\nduration_s: 30\n';

describe('config errors name the field, the value and what is allowed, on one line', () => {
  it('an unknown CL inside a matrix axis', () => {
    const msg = errorOf(`${minimal}matrix:\n  write_cl: [ONE, QUORUM, QUORM]\n`);
    expect(msg).toBe('test.yaml: matrix.write_cl[2]: "QUORM" is not one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, LOCAL_ONE');
  });

  it('an unknown field, with the fields allowed there', () => {
    const msg = errorOf(`${minimal}cluster:\n  paxos: v2\n`);
    expect(msg).toBe('test.yaml: cluster.paxos: unknown field; allowed here: cassandra_version, paxos_variant, timeouts, settings, provider, contact_points, local_dc, auth, tls, keyspace, replication, allow_writes, nodes, cassandra, lab');
  });

  it('a missing required field', () => {
    expect(errorOf('name: x\nrecipe: lwt\n')).toBe('test.yaml: duration_s: required (number)');
  });

  it('a wrong type and an out-of-range number', () => {
    expect(errorOf(`${minimal}clients: ten\n`)).toBe('test.yaml: clients: expected number, got "ten"');
    expect(errorOf(`${minimal}keys: 0\n`)).toBe('test.yaml: keys: 0 must be from 1 to 10000');
  });

  it('an unknown recipe and an undefined nemesis', () => {
    expect(errorOf(`${minimal}matrix:\n  recipe: [lwt, lwtt]\n`)).toBe('test.yaml: matrix.recipe[1]: "lwtt" is not one of write-then-delete, lwt, lwt-ttl-plain-release');
    expect(errorOf(`${minimal}nemesis: cuts\n`)).toBe('test.yaml: nemesis: "cuts" is not one of none');
  });

  it('a malformed timestamp mode', () => {
    expect(errorOf(`${minimal}timestamps: quantised:10ms\n`)).toBe('test.yaml: timestamps: "quantised:10ms" is not one of server, driver, tie, skewed:<±N>ms, quantized:<N>ms');
  });

  it('an expectation for a value or a cell that does not exist', () => {
    expect(errorOf(`${minimal}expect:\n  recipe:\n    write-then-delet: unsafe-allowed\n`)).toBe('test.yaml: expect.recipe.write-then-delet: "write-then-delet" is not one of lwt');
    expect(errorOf(`${minimal}expect:\n  cells:\n    nope: safe\n`)).toBe('test.yaml: expect.cells.nope: "nope" is not one of lwt');
    expect(errorOf(`${minimal}expect:\n  default: maybe\n`)).toBe('test.yaml: expect.default: "maybe" is not one of safe, unsafe-allowed');
  });

  it('bad YAML gives the line and column', () => {
    const msg = errorOf('name: x\nmatrix: [a, b\nrecipe: lwt\n');
    expect(msg).toMatch(/^test\.yaml:\d+:\d+: not valid YAML: /);
    expect(msg).not.toContain('\n');
  });

  it('a document that is not a mapping', () => {
    expect(errorOf('- just\n- a list\n')).toMatch(/^test\.yaml: expected a YAML mapping at the top level/);
  });

  it('a missing file', async () => {
    await expect(loadPlan('/nonexistent/lockstorm.yaml', known)).rejects.toThrow(new UserError('/nonexistent/lockstorm.yaml: no such file'));
  });

  it('a nemesis the nemesis module rejects keeps that module’s message', () => {
    const checkNemesis = (mix: { faults: unknown }) =>
      Array.isArray(mix.faults) && mix.faults.includes('flood') ? [{ path: ['faults', 0], message: 'unknown fault "flood"' }] : [];
    expect(() =>
      planFromText(`${minimal}nemeses:\n  bad:\n    faults: [flood]\n`, 'test.yaml', { ...known, checkNemesis }),
    ).toThrow('test.yaml: nemeses.bad.faults[0]: unknown fault "flood"');
  });
});

describe('cell expansion', () => {
  it('a minimal config with no matrix is one cell, with the defaults', () => {
    const p = plan(minimal);
    expect(p.cells).toHaveLength(1);
    const [cell] = p.cells;
    expect(cell!.params).toEqual({
      name: 'lwt',
      recipe: 'lwt',
      writeCl: 'QUORUM',
      readCl: 'QUORUM',
      serialCl: 'SERIAL',
      ttlSeconds: 60,
      keys: 5,
      clients: 10,
      durationMs: 30_000,
      opTimeoutMs: 1000,
      seed: 1,
      timestamps: { kind: 'server' },
      nemesis: null,
    });
    expect(cell!.server).toEqual({
      cassandraVersion: '5.0.9', paxosVariant: 'v2', writeRequestTimeoutMs: 2000, readRequestTimeoutMs: 5000, casContentionTimeoutMs: 1000, yaml: {},
    });
    expect(cell!.expectation).toBe('safe');
  });

  it('a matrix is the cartesian product, named by the axes that vary', () => {
    const p = plan(`${minimal}nemeses:\n  cut:\n    faults: [reply-lost]\n    on_s: 5\n    off_s: 2.5\nmatrix:\n  recipe: [write-then-delete, lwt]\n  write_cl: [ONE, QUORUM]\n  nemesis: [cut]\n`);
    expect(p.varying).toEqual(['recipe', 'write_cl']);
    expect(p.cells.map((c) => c.params.name)).toEqual(['write-then-delete_w-ONE', 'write-then-delete_w-QUORUM', 'lwt_w-ONE', 'lwt_w-QUORUM']);
    expect(p.cells.every((c) => c.params.nemesis?.onMs === 5000 && c.params.nemesis.offMs === 2500)).toBe(true);
  });

  it('cells that share server settings run back to back, so the cluster restarts once', () => {
    const p = plan(`${minimal}matrix:\n  paxos_variant: [v1, v2]\n  serial_cl: [SERIAL, LOCAL_SERIAL]\n`);
    // The cartesian order would be v1/SERIAL, v1/LOCAL, v2/...: paxos is the slower axis, so grouping keeps it.
    expect(p.cells.map((c) => c.server.paxosVariant)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect(p.cells.map((c) => c.params.name)).toEqual(['lwt_s-SERIAL_paxos-v1', 'lwt_s-LOCAL_SERIAL_paxos-v1', 'lwt_s-SERIAL_paxos-v2', 'lwt_s-LOCAL_SERIAL_paxos-v2']);
  });

  it('expectations: a cell entry wins, then unsafe-allowed on any axis value, then safe, then the default', () => {
    const p = plan(
      `${minimal}matrix:\n  recipe: [write-then-delete, lwt]\n  write_cl: [ONE, ALL]\n` +
        `expect:\n  default: unsafe-allowed\n  recipe:\n    write-then-delete: unsafe-allowed\n  write_cl:\n    ALL: safe\n  cells:\n    write-then-delete_w-ONE: safe\n`,
    );
    const byName = Object.fromEntries(p.cells.map((c) => [c.params.name, c.expectation]));
    expect(byName).toEqual({
      'write-then-delete_w-ONE': 'safe',
      'write-then-delete_w-ALL': 'unsafe-allowed',
      'lwt_w-ONE': 'unsafe-allowed',
      'lwt_w-ALL': 'safe',
    });
  });

  it('timestamp modes parse into the runner’s union', () => {
    expect(parseTimestampMode('server')).toEqual({ kind: 'server' });
    expect(parseTimestampMode('skewed:-250ms')).toEqual({ kind: 'skewed', offsetMs: -250 });
    expect(parseTimestampMode('quantized:1000ms')).toEqual({ kind: 'quantized', unitMs: 1000 });
  });
});
