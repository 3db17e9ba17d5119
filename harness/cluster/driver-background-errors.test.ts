import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isDriverBackgroundError } from './driver-background-errors.ts';

// The TypeError as the driver raised it in a run (stack abridged to the frames that matter).
const raced = Object.assign(new TypeError("Cannot read properties of null (reading 'once')"), {
  stack:
    "TypeError: Cannot read properties of null (reading 'once')\n" +
    '    at ControlConnection._setHealthListeners (/w/node_modules/cassandra-driver/lib/control-connection.js:259:10)\n' +
    '    at ControlConnection._refresh (/w/node_modules/cassandra-driver/lib/control-connection.js:506:10)',
});

describe('driver background errors', () => {
  it("recognises the control connection's race, also in serialized form, and nothing else", () => {
    expect(isDriverBackgroundError(raced)).toBe(true);
    expect(isDriverBackgroundError({ message: raced.message, stack: raced.stack })).toBe(true);
    expect(isDriverBackgroundError(new TypeError("Cannot read properties of null (reading 'once')"))).toBe(false);
    expect(isDriverBackgroundError('control-connection.js')).toBe(false);
    expect(isDriverBackgroundError(null)).toBe(false);
  });

  it('a process that tolerates them survives that rejection, and still dies of any other', () => {
    const script = (reason: string) => `
      import { tolerateDriverBackgroundErrors } from './harness/cluster/driver-background-errors.ts';
      tolerateDriverBackgroundErrors();
      Promise.reject(${reason});
      setTimeout(() => console.log('still running'), 50);`;
    const run = (reason: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(reason)], { encoding: 'utf8' });

    const driver = run(`Object.assign(new TypeError('x'), { stack: ${JSON.stringify(raced.stack)} })`);
    expect(driver.status).toBe(0);
    expect(driver.stdout).toContain('still running');
    expect(driver.stderr).toContain('ignored a cassandra-driver control-connection error');

    const other = run(`new Error('boom')`);
    expect(other.status).not.toBe(0);
    expect(other.stdout).not.toContain('still running');
  });
});
