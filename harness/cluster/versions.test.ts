// The table of Cassandra releases and what follows from a version: the exact release, its image,
// the check of what the nodes report, and the cassandra.yaml lines of `cluster.settings`.
import { describe, expect, it, vi } from 'vitest';
import { withServerVersion, type CellResult } from '../report/results.ts';
import { baseImageName, imagesFor } from './containers/images.ts';
import { nodeEnvironment, NODES, yamlLines } from './containers/layout.ts';
import { resolveSettings } from './settings.ts';
import { releaseMismatch } from '../core/server-version.ts';
import { LINES, exactVersion, lineFacts, versionProblem } from './versions.ts';
import { yamlSettingProblem, yamlSettingsOf } from './yaml-settings.ts';

describe('Cassandra versions', () => {
  it('a line is its newest patch; an exact release is kept; a patch past the table is refused', () => {
    expect(exactVersion('4.0')).toBe(LINES['4.0'].newest);
    expect(exactVersion('4.0.3')).toBe('4.0.3');
    expect(versionProblem('4.0.3')).toBeUndefined();
    expect(versionProblem(`4.0.${Number(LINES['4.0'].newest.split('.')[2]) + 1}`)).toMatch(/is newer than/);
    expect(versionProblem('3.11')).toMatch(/^is not one of/);
    expect(versionProblem('4.1.01')).toMatch(/^is not one of/);
  });

  it('4.x runs on the Java 11 base and 5.0 on the Java 17 one; every release has its own image', () => {
    vi.stubEnv('LOCKSTORM_BASE_IMAGE', '');
    vi.stubEnv('LOCKSTORM_BASE_IMAGE_JAVA11', '');
    expect(lineFacts('4.0.5').java).toBe(11);
    expect(imagesFor('4.1').cassandraBase).toBe(baseImageName(11));
    expect(imagesFor('5.0').cassandraBase).toBe(baseImageName(17));
    expect(baseImageName(11)).not.toBe(baseImageName(17));
    expect(imagesFor('4.1').cassandra).toBe(imagesFor(LINES['4.1'].newest).cassandra);
    expect(imagesFor('4.1.3').cassandra).not.toBe(imagesFor('4.1').cassandra);
    // Toxiproxy is one image whatever the version.
    expect(imagesFor('4.0').toxiproxy).toBe(imagesFor('5.0').toxiproxy);
    vi.unstubAllEnvs();
  });

  it('a node on another release than asked is named; agreeing nodes are not a problem', () => {
    expect(releaseMismatch({ asked: '4.1.10', reported: { n1: '4.1.10', n2: '4.1.10', n3: '4.1.10' } })).toBeUndefined();
    expect(releaseMismatch({ asked: '4.1.10', reported: { n1: '4.1.10', n2: '4.1.9', n3: '4.1.10' } })).toBe('asked for Cassandra 4.1.10, but n2 reports 4.1.9');
    expect(releaseMismatch({ asked: '5.0.9', reported: {} })).toMatch(/^no node reported/);
  });

  it('a cell records the release asked for and what each node reported; another release makes it an error', () => {
    const result = { name: 'c', verdict: 'safe', met: true, params: {} } as unknown as CellResult;
    const same = withServerVersion(result, '4.0.19', { n1: '4.0.19', n2: '4.0.19', n3: '4.0.19' });
    expect(same).toMatchObject({ verdict: 'safe', met: true, server_version: '4.0.19', release_version: { n1: '4.0.19', n2: '4.0.19', n3: '4.0.19' } });
    expect(same.error).toBeUndefined();
    const other = withServerVersion(result, '4.0.19', { n1: '4.0.19', n2: '4.0.18', n3: '4.0.19' });
    expect(other).toMatchObject({ verdict: 'unknown', met: false, error: 'asked for Cassandra 4.0.19, but n2 reports 4.0.18' });
    // A cell whose cluster never started has nothing reported: only what was asked is recorded.
    expect(withServerVersion(result, '5.0.9', undefined)).toEqual({ ...result, server_version: '5.0.9' });
  });

  it('resolved settings: the Paxos default follows the version, and v2 before 4.1 is refused', () => {
    expect(resolveSettings({ cassandraVersion: '4.0' })).toMatchObject({ cassandraVersion: LINES['4.0'].newest, paxosVariant: 'v1' });
    expect(resolveSettings({ cassandraVersion: '4.1' }).paxosVariant).toBe('v2');
    expect(() => resolveSettings({ cassandraVersion: '4.0', paxosVariant: 'v2' })).toThrow(/v2 needs Cassandra 4\.1 or later/);
    expect(() => resolveSettings({ cassandraVersion: '4.2' })).toThrow(/cassandraVersion "4\.2" is not one of/);
  });
});

describe('cassandra.yaml settings', () => {
  it('each line has its own names: 4.0 the old ones, 4.1 on the ones with units', () => {
    expect(yamlSettingsOf('4.0').has('write_request_timeout_in_ms')).toBe(true);
    expect(yamlSettingsOf('4.0').has('paxos_state_purging')).toBe(false);
    expect(yamlSettingsOf('4.1.2').has('paxos_state_purging')).toBe(true);
    expect(yamlSettingsOf('5.0').has('storage_compatibility_mode')).toBe(true);
    expect(yamlSettingsOf('4.1').has('storage_compatibility_mode')).toBe(false);
    expect(yamlSettingProblem('commitlog_sync', '4.0')).toBeUndefined();
    expect(yamlSettingProblem('initial_token', '5.0')).toMatch(/fixed three-node layout/);
  });

  it('are written as yaml lines a value cannot break, and reach the node only when there are any', () => {
    expect(yamlLines({ z: true, a: '2000ms', n: 3, q: 'x: "y"\nevil: 1' })).toBe('a: "2000ms"\nn: 3\nq: "x: \\"y\\"\\nevil: 1"\nz: true');
    const env = nodeEnvironment(NODES[0]!, resolveSettings({ yaml: { commitlog_sync: 'batch' } }));
    expect(env.CASSANDRA_SETTINGS).toBe('commitlog_sync: "batch"');
    expect(nodeEnvironment(NODES[0]!, resolveSettings()).CASSANDRA_SETTINGS).toBeUndefined();
  });
});
