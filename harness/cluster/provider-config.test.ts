// Config validation of the providers for clusters lockstorm did not start: each bad `cluster:`
// section is one line naming the field (the run's exit 2), before any cluster work.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { knownNames } from '../config/known.ts';
import { UserError } from '../core/errors.ts';

const EXISTING = `
cluster:
  provider: existing
  contact_points: ["10.0.0.5:9042"]
  local_dc: dc1
  auth: { username: lockstorm, password_env: LOCKSTORM_CQL_PASSWORD }
  tls: { ca_file: ca.pem }
  keyspace: lockstorm_test
  replication: { class: NetworkTopologyStrategy, dc1: 3 }
  allow_writes: true`;

const SSH = `
cluster:
  provider: ssh
  nodes:
    - { name: n1, host: 10.0.0.5, ssh: { user: ops, key_file: ~/.ssh/id_ed25519 } }
    - { name: n2, host: 10.0.0.6, ssh: { user: ops, key_file: ~/.ssh/id_ed25519, sudo: true } }
  cassandra: { service: systemd, unit: cassandra }`;

function config(cluster: string, rest = ''): string {
  return `name: t\nduration_s: 10\nrecipe: lwt\n${cluster}\n${rest}`;
}

/** The one line a bad config gives (without the file name), or "ok". */
function verdict(text: string): string {
  try {
    parseConfig(text, 'F', knownNames());
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const msg = (err as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    return msg.replace(/^F: /, '');
  }
}

const LINK_MIX = 'nemeses:\n  cut: { faults: [reply-lost, link-down] }\nnemesis: cut';

describe('provider: existing', () => {
  it('accepts the documented example, and link faults', () => {
    expect(verdict(config(EXISTING, LINK_MIX))).toBe('ok');
    const c = parseConfig(config(EXISTING), 'F', knownNames()).cluster;
    expect(c).toMatchObject({ provider: 'existing', local_dc: 'dc1', keyspace: 'lockstorm_test', allow_writes: true });
  });

  it('refuses without allow_writes: true', () => {
    expect(verdict(config(EXISTING.replace('allow_writes: true', 'allow_writes: false')))).toBe(
      'cluster.allow_writes: false must be true: lockstorm creates, writes, truncates and drops tables in cluster.keyspace',
    );
    expect(verdict(config(EXISTING.replace('  allow_writes: true', '')))).toBe('cluster.allow_writes: nothing given; it must be true: lockstorm creates, writes, truncates and drops tables in cluster.keyspace');
  });

  it('refuses node, partition and clock faults naming them', () => {
    const mix = 'nemeses:\n  mix: { faults: [reply-lost, kill, partition-isolate, clock-skew] }\nnemesis: mix';
    expect(verdict(config(EXISTING, mix))).toBe(
      'nemeses.mix.faults: provider existing cannot run kill, partition-isolate, clock-skew (they need nodes, net, clock; it offers links)',
    );
    const viaMatrix = 'nemeses:\n  cut: { faults: [link] }\n  nodes: { faults: [node] }\nmatrix: { nemesis: [cut, nodes] }';
    expect(verdict(config(EXISTING, viaMatrix))).toMatch(/^nemeses\.nodes\.faults: provider existing cannot run kill, pause, restart /);
  });

  it('needs contact_points, local_dc, keyspace and replication', () => {
    for (const field of ['contact_points', 'local_dc', 'keyspace', 'replication']) {
      const text = config(EXISTING.split('\n').filter((l) => !l.trim().startsWith(`${field}:`)).join('\n'));
      expect(verdict(text)).toMatch(new RegExp(`^cluster\\.${field}: nothing given; provider existing needs it \\(`));
    }
  });

  it("refuses Cassandra's own keyspaces and bad names", () => {
    expect(verdict(config(EXISTING.replace('lockstorm_test', 'system_auth')))).toBe(
      "cluster.keyspace: \"system_auth\" is one of Cassandra's own keyspaces; give lockstorm a keyspace of its own",
    );
    expect(verdict(config(EXISTING.replace('lockstorm_test', '"Bad-Name"')))).toMatch(/^cluster\.keyspace: "Bad-Name" has the wrong form \(is not a keyspace name/);
  });

  it('takes the password only from an environment variable', () => {
    expect(verdict(config(EXISTING.replace('password_env: LOCKSTORM_CQL_PASSWORD', 'password: hunter2')))).toMatch(/^cluster\.auth/);
    expect(verdict(config(EXISTING.replace('LOCKSTORM_CQL_PASSWORD', '"not a name"')))).toMatch(/^cluster\.auth\.password_env: "not a name" has the wrong form \(is not an environment variable name\)/);
  });

  it('refuses cassandra.yaml settings it could not apply, and bad contact points', () => {
    expect(verdict(config(`${EXISTING}\n  settings: { paxos_state_purging: repaired }`))).toMatch(/^cluster\.settings: \{"paxos_state_purging":"repaired"\} cannot be applied: lockstorm cannot change cassandra\.yaml/);
    expect(verdict(config(EXISTING.replace('10.0.0.5:9042', '10.0.0.5')))).toMatch(/^cluster\.contact_points\[0\]: /);
    expect(verdict(config(EXISTING.replace('replication: { class: NetworkTopologyStrategy, dc1: 3 }', 'replication: { dc1: 3 }')))).toMatch(/^cluster\.replication: \{"dc1":3\} needs a class/);
  });
});

describe('provider: ssh', () => {
  it('accepts the documented example with every fault family', () => {
    expect(verdict(config(SSH, 'nemeses:\n  all: { faults: [all] }\nnemesis: all'))).toBe('ok');
    const c = parseConfig(config(SSH), 'F', knownNames()).cluster;
    expect(c.nodes?.[1]).toEqual({ name: 'n2', host: '10.0.0.6', cql_port: 9042, ssh: { user: 'ops', key_file: '~/.ssh/id_ed25519', port: 22, sudo: true } });
    expect(c.cassandra).toMatchObject({ service: 'systemd', unit: 'cassandra', nodetool: 'nodetool', faketime_file: '/var/lib/lockstorm/faketime' });
  });

  it('the shipped lab config is valid', async () => {
    const { readFileSync } = await import('node:fs');
    expect(verdict(readFileSync('configs/ssh-lab.yaml', 'utf8'))).toBe('ok');
  });

  it('needs nodes and a service; process needs start and pid_file', () => {
    expect(verdict(config('cluster:\n  provider: ssh\n  cassandra: { service: systemd }'))).toMatch(/^cluster\.nodes: nothing given; provider ssh needs it/);
    expect(verdict(config(SSH.replace('{ service: systemd, unit: cassandra }', '{ service: process, pid_file: /run/c.pid }')))).toMatch(
      /^cluster\.cassandra\.start: nothing given; service: process needs the command/,
    );
    expect(verdict(config(SSH.replace('{ service: systemd, unit: cassandra }', '{ service: process, start: /x }')))).toMatch(
      /^cluster\.cassandra\.pid_file: nothing given; service: process needs the file/,
    );
    expect(verdict(config(SSH.replace('unit: cassandra', 'unit: cassandra, start: /x')))).toMatch(/^cluster\.cassandra\.start: "\/x" is for service: process/);
    expect(verdict(config(SSH.replace('service: systemd', 'service: init.d')))).toMatch(/^cluster\.cassandra\.service: /);
  });

  it('refuses a repeated node name, a missing key file field and a bad host key pin', () => {
    expect(verdict(config(SSH.replace('name: n2', 'name: n1')))).toBe('cluster.nodes[1].name: "n1" is used by an earlier node');
    expect(verdict(config(SSH.replace('key_file: ~/.ssh/id_ed25519, sudo: true', 'sudo: true')))).toMatch(/^cluster\.nodes\[1\]\.ssh\.key_file: /);
    expect(verdict(config(SSH.replace('sudo: true', 'host_key: "MD5:aa"')))).toMatch(/^cluster\.nodes\[1\]\.ssh\.host_key: "MD5:aa" has the wrong form \(is not a SHA256 fingerprint/);
  });
});

describe('fields of another provider', () => {
  it('are refused, naming the provider they belong to', () => {
    expect(verdict(config('cluster:\n  contact_points: ["10.0.0.5:9042"]'))).toBe('cluster.contact_points: ["10.0.0.5:9042"] is for provider existing, and cluster.provider is containers');
    expect(verdict(config(`${SSH}\n  allow_writes: true`))).toBe('cluster.allow_writes: true is for provider existing, and cluster.provider is ssh');
    expect(verdict(config(`${EXISTING}\n  lab: ssh`))).toBe('cluster.lab: "ssh" is for provider ssh, and cluster.provider is existing');
  });

  it('an unknown provider names the known ones', () => {
    expect(verdict(config('cluster:\n  provider: k8s'))).toMatch(/^cluster\.provider: "k8s" is not one of containers, existing, ssh/);
  });
});
