// Cassandra versions and cassandra.yaml settings in a config: the forms a version takes, the
// fields that must agree with it (Paxos v2, settings names), and how versions group cells.
import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { LINES } from '../cluster/versions.ts';
import { serverKey } from './expand.ts';
import { planFromText } from './index.ts';

const known = { recipes: ['lwt', 'lwt-ttl-plain-release'] };
const minimal = 'name: mini\nrecipe: lwt\nduration_s: 30\n';
const plan = (yaml: string) => planFromText(yaml, 'test.yaml', known).plan;

function errorOf(yaml: string): string {
  try {
    planFromText(yaml, 'test.yaml', known);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('cluster.cassandra_version', () => {
  it('a line means its newest patch from the table; an exact release stays as written', () => {
    expect(plan(`${minimal}cluster:\n  cassandra_version: "4.1"\n`).cells[0]!.server.cassandraVersion).toBe(LINES['4.1'].newest);
    expect(plan(`${minimal}cluster:\n  cassandra_version: "4.1.3"\n`).cells[0]!.server.cassandraVersion).toBe('4.1.3');
    expect(plan(minimal).cells[0]!.server.cassandraVersion).toBe(LINES['5.0'].newest);
  });

  it('refuses an unquoted number, an unknown line and a patch newer than the table knows', () => {
    expect(errorOf(`${minimal}cluster:\n  cassandra_version: 4.0\n`)).toMatch(/^test\.yaml: cluster\.cassandra_version: 4 is a number to YAML; quote the version, e\.g\. "4\.1"/);
    expect(errorOf(`${minimal}cluster:\n  cassandra_version: "3.11"\n`)).toMatch(/^test\.yaml: cluster\.cassandra_version: "3\.11" is not one of 4\.0, 4\.1, 5\.0/);
    expect(errorOf(`${minimal}cluster:\n  cassandra_version: "4.1.999"\n`)).toBe(
      `test.yaml: cluster.cassandra_version: "4.1.999" is newer than ${LINES['4.1'].newest}, the newest 4.1 release lockstorm knows`,
    );
  });

  it('left out, the Paxos variant is v2 where the version has it and v1 on 4.0', () => {
    const p = plan(`${minimal}matrix:\n  cassandra_version: ["4.0", "4.1", "5.0"]\n`);
    expect(p.cells.map((c) => [c.params.name, c.server.paxosVariant, c.axes.paxos_variant])).toEqual([
      ['lwt_cassandra-4.0', 'v1', 'v1'],
      ['lwt_cassandra-4.1', 'v2', 'v2'],
      ['lwt_cassandra-5.0', 'v2', 'v2'],
    ]);
    expect(p.varying).toEqual(['cassandra_version']);
  });

  it('Paxos v2 before 4.1 is an error naming both fields, in the cluster block and across matrix axes', () => {
    expect(errorOf(`${minimal}cluster:\n  cassandra_version: "4.0"\n  paxos_variant: v2\n`)).toBe(
      'test.yaml: cluster.paxos_variant: v2 needs cassandra_version 4.1 or later (cluster.cassandra_version is "4.0")',
    );
    expect(errorOf(`${minimal}matrix:\n  cassandra_version: ["5.0", "4.0.12"]\n  paxos_variant: [v1, v2]\n`)).toBe(
      'test.yaml: matrix.paxos_variant[1]: v2 needs cassandra_version 4.1 or later (matrix.cassandra_version[1] is "4.0.12")',
    );
    expect(plan(`${minimal}matrix:\n  cassandra_version: ["4.0"]\n  paxos_variant: [v1]\n`).cells).toHaveLength(1);
  });

  it('a line and its newest patch are one version: listing both is refused', () => {
    expect(errorOf(`${minimal}matrix:\n  cassandra_version: ["4.1", "${LINES['4.1'].newest}"]\n`)).toBe(
      `test.yaml: matrix.cassandra_version[1]: "${LINES['4.1'].newest}" is the same as "4.1" at matrix.cassandra_version[0]; each value makes one cell, list it once`,
    );
  });

  it('cells of one version run back to back: one cluster start per version, whatever the axis order', () => {
    const p = plan(`${minimal}matrix:\n  recipe: [lwt, lwt-ttl-plain-release]\n  cassandra_version: ["4.0", "5.0"]\n  ttl_s: [0, 30]\n`);
    const versions = p.cells.map((c) => c.server.cassandraVersion);
    expect(versions).toEqual([...Array(4).fill(LINES['4.0'].newest), ...Array(4).fill(LINES['5.0'].newest)]);
    expect(new Set(p.cells.map((c) => serverKey(c.server))).size).toBe(2);
  });
});

describe('cluster.settings', () => {
  it('takes settings of the chosen version, records them with the cell and restarts the cluster when they change', () => {
    const p = plan(`${minimal}cluster:\n  settings:\n    paxos_state_purging: repaired\n    commitlog_sync_period: 2000ms\n`);
    expect(p.cells[0]!.server.yaml).toEqual({ paxos_state_purging: 'repaired', commitlog_sync_period: '2000ms' });
    const other = plan(`${minimal}cluster:\n  settings:\n    paxos_state_purging: gc_grace\n    commitlog_sync_period: 2000ms\n`);
    expect(serverKey(other.cells[0]!.server)).not.toBe(serverKey(p.cells[0]!.server));
    // Key order is not a change.
    const reordered = plan(`${minimal}cluster:\n  settings:\n    commitlog_sync_period: 2000ms\n    paxos_state_purging: repaired\n`);
    expect(serverKey(reordered.cells[0]!.server)).toBe(serverKey(p.cells[0]!.server));
  });

  it('checks each key against every version the config runs', () => {
    expect(errorOf(`${minimal}cluster:\n  cassandra_version: "4.0"\n  settings:\n    commitlog_sync_period: 2000ms\n`)).toBe(
      'test.yaml: cluster.settings.commitlog_sync_period: is not a cassandra.yaml setting of Cassandra 4.0',
    );
    expect(plan(`${minimal}cluster:\n  cassandra_version: "4.0"\n  settings:\n    commitlog_sync_period_in_ms: 2000\n`).cells[0]!.server.yaml).toEqual({
      commitlog_sync_period_in_ms: 2000,
    });
    expect(errorOf(`${minimal}cluster:\n  settings:\n    paxos_state_purging: repaired\nmatrix:\n  cassandra_version: ["5.0", "4.0"]\n  paxos_variant: [v1]\n`)).toBe(
      'test.yaml: cluster.settings.paxos_state_purging: is not a cassandra.yaml setting of Cassandra 4.0 (matrix.cassandra_version[1])',
    );
    expect(errorOf(`${minimal}cluster:\n  settings:\n    paxos_varient: v2\n`)).toBe(
      'test.yaml: cluster.settings.paxos_varient: is not a cassandra.yaml setting of Cassandra 5.0',
    );
  });

  it('refuses what other fields or the fixed layout set, and values that are not scalars', () => {
    expect(errorOf(`${minimal}cluster:\n  settings:\n    paxos_variant: v1\n`)).toBe('test.yaml: cluster.settings.paxos_variant: set it with cluster.paxos_variant');
    expect(errorOf(`${minimal}cluster:\n  settings:\n    write_request_timeout: 5s\n`)).toBe(
      'test.yaml: cluster.settings.write_request_timeout: set it with cluster.timeouts.write_ms',
    );
    expect(errorOf(`${minimal}cluster:\n  settings:\n    num_tokens: 16\n`)).toBe(
      'test.yaml: cluster.settings.num_tokens: lockstorm sets it for its fixed three-node layout',
    );
    expect(errorOf(`${minimal}cluster:\n  settings:\n    commitlog_sync: [a]\n`)).toMatch(/^test\.yaml: cluster\.settings\.commitlog_sync: /);
  });
});
