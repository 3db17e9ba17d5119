// `lockstorm cluster up` and `lockstorm run` start the same cluster when neither is told otherwise:
// both take their server settings from the run config's defaults.
import { describe, expect, it } from 'vitest';
import { expandConfig } from '../config/expand.ts';
import { configSchema } from '../config/schema.ts';
import { nodeEnvironment, NODES } from '../cluster/containers/layout.ts';
import { resolveSettings } from '../cluster/settings.ts';
import { UserError } from '../core/errors.ts';
import { clusterUpSettings } from './cluster.ts';

const defaultCell = () => expandConfig(configSchema.parse({ name: 'defaults', recipe: 'any', duration_s: 1 })).cells[0]!;

describe('cluster up settings', () => {
  it('are a default cell\'s server settings, and what startCluster fills in when given none', () => {
    const server = defaultCell().server;
    expect(clusterUpSettings({})).toEqual(server);
    expect(resolveSettings()).toEqual(server);
    expect(server.paxosVariant).toBe('v2');
  });

  it('reach every node\'s environment, so the entrypoint\'s own fallbacks are never used', () => {
    const env = nodeEnvironment(NODES[0]!, clusterUpSettings({}));
    expect(env).toMatchObject({ PAXOS_VARIANT: 'v2', WRITE_TIMEOUT_MS: '2000', READ_TIMEOUT_MS: '5000', CAS_TIMEOUT_MS: '1000' });
  });

  it('take --paxos over the default, and refuse anything but v1 or v2', () => {
    expect(clusterUpSettings({ paxos: 'v1' })).toEqual({ ...defaultCell().server, paxosVariant: 'v1' });
    expect(() => clusterUpSettings({ paxos: 'v3' })).toThrow(UserError);
    expect(() => clusterUpSettings({ paxos: 'v3' })).toThrow('--paxos must be v1 or v2, not "v3"');
  });
});
