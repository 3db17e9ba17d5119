// What the providers of clusters lockstorm did not start read and write: the password's source,
// the replication map as CQL, the settings check, the node discovery's choice of nodes.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_SETTINGS } from '../settings.ts';
import { nodesOf } from '../existing/discover.ts';
import { providerFields, type ProviderConfig } from '../provider-config.ts';
import { z } from 'zod';
import { driverConnection } from './connection.ts';
import { replicationCql } from './keyspace.ts';
import { normalizeMs, settingsMismatches } from './settings-check.ts';

const base = z.object(providerFields).parse({ provider: 'existing' }) as ProviderConfig;

describe('driverConnection', () => {
  it('reads the password from the named variable and never puts it in an error', () => {
    const cfg = { ...base, local_dc: 'dc1', auth: { username: 'lockstorm', password_env: 'LS_PW' } };
    expect(driverConnection(cfg, { LS_PW: 's3cret-Zq' })).toEqual({ localDataCenter: 'dc1', credentials: { username: 'lockstorm', password: 's3cret-Zq' } });
    let err: unknown;
    try {
      driverConnection(cfg, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('cluster.auth.password_env: the environment variable LS_PW is not set (it holds the password of lockstorm)');
  });

  it('names an unreadable CA file', () => {
    expect(() => driverConnection({ ...base, tls: { ca_file: '/nonexistent/ca.pem' } })).toThrow('cluster.tls.ca_file: cannot read /nonexistent/ca.pem (ENOENT)');
  });
});

describe('replicationCql', () => {
  it('quotes every key and value as a CQL string literal', () => {
    expect(replicationCql({ class: 'NetworkTopologyStrategy', dc1: 3 })).toBe("{'class': 'NetworkTopologyStrategy', 'dc1': '3'}");
    expect(replicationCql({ class: "x'); DROP KEYSPACE k; --" })).toBe("{'class': 'x''); DROP KEYSPACE k; --'}");
  });
});

describe('settingsMismatches', () => {
  const s = { ...DEFAULT_SETTINGS, paxosVariant: 'v2' as const, writeRequestTimeoutMs: 2000, readRequestTimeoutMs: 5000, casContentionTimeoutMs: 1000 };
  it('accepts a node running the cell’s settings, in 4.1+ or 4.0 spelling', () => {
    const v5 = new Map([['paxos_variant', 'v2'], ['write_request_timeout', '2000ms'], ['read_request_timeout', '5s'], ['cas_contention_timeout', '1000ms']]);
    expect(settingsMismatches('n1', v5, s)).toEqual([]);
    const v40 = new Map([['write_request_timeout_in_ms', '2000'], ['read_request_timeout_in_ms', '5000'], ['cas_contention_timeout_in_ms', '1000']]);
    expect(settingsMismatches('n1', v40, s)).toEqual([]);
  });
  it('names each setting a node runs differently', () => {
    const other = new Map([['paxos_variant', 'v1'], ['write_request_timeout', '10000ms']]);
    expect(settingsMismatches('n2', other, s)).toEqual(['n2 runs paxos_variant=v1, the cell asks for v2', 'n2 runs write_request_timeout=10000ms, the cell asks for 2000 ms']);
    expect(normalizeMs('2s')).toBe('2000');
  });
});

describe('nodesOf', () => {
  const n = (address: string, dataCenter = 'dc1') => ({ address, port: 9042, dataCenter, hostId: address });
  it('keeps the local data center, sorted by address', () => {
    expect(nodesOf(n('10.0.0.12'), [n('10.0.0.9'), n('10.0.1.5', 'dc2'), n('10.0.0.100')], 'dc1').map((x) => x.address)).toEqual(['10.0.0.9', '10.0.0.12', '10.0.0.100']);
  });
  it('names the data centers there are when the local one has no node', () => {
    expect(() => nodesOf(n('10.0.0.1', 'dc2'), [n('10.0.0.2', 'dc3')], 'dc1')).toThrow('cluster.local_dc: no node is in data center "dc1" (the cluster has: dc2, dc3)');
  });
});
