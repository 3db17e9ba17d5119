// The ssh provider's pure parts: how a command becomes the one string SSH carries, and how the
// remote answers (/proc, pid files, the JVM's environment) are read.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLine, quoteWord, script } from './argv.ts';
import { faketimeProblem, settleMsFor } from './faketime-clock.ts';
import { parsePid, procState } from './service.ts';
import { fingerprint } from './session.ts';

describe('commandLine', () => {
  it('gives a POSIX shell back exactly the argv, whatever the words hold', () => {
    const argv = ['printf', '%s|', "it's", '$(touch /tmp/x)', '`id`', 'a b', '*', '"q"', '\\', '; rm -rf /', ''];
    // The real shell parses it: each word arrives as written, nothing runs.
    const out = execFileSync('sh', ['-c', commandLine(argv)], { encoding: 'utf8' });
    expect(out).toBe(`${argv.slice(2).join('|')}|`);
  });

  it('passes script values as positional parameters, never inside the script text', () => {
    const argv = script('printf "%s/%s" "$1" "$2"', "a'b", '$HOME');
    expect(execFileSync('sh', ['-c', commandLine(argv)], { encoding: 'utf8' })).toBe("a'b/$HOME");
  });

  it('refuses what no shell word can carry', () => {
    expect(() => quoteWord('a\0b')).toThrow(/NUL/);
    expect(() => commandLine([])).toThrow(/empty/);
  });
});

describe('reading the host', () => {
  it('reads the state letter after the last parenthesis of /proc/<pid>/stat', () => {
    expect(procState('4242 (java) S 1 4242 4242 0 -1')).toBe('S');
    expect(procState('4242 (we (ird) name) T 1 4242')).toBe('T');
    expect(procState('4242 (java) Z 1')).toBe('Z');
    expect(procState('garbage')).toBeUndefined();
  });

  it('takes a pid file only when it holds a positive whole number', () => {
    expect(parsePid('4242\n')).toBe(4242);
    for (const bad of ['', '0', '-1', '12a', '1 2', '99999999999']) expect(parsePid(bad)).toBeUndefined();
  });

  it('says why a JVM would not see a clock offset', () => {
    const file = '/var/lib/lockstorm/faketime';
    const ok = new Map([['LD_PRELOAD', '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1'], ['FAKETIME_TIMESTAMP_FILE', file]]);
    expect(faketimeProblem(ok, file)).toBeUndefined();
    expect(faketimeProblem(undefined, file)).toBe('no Cassandra JVM runs');
    expect(faketimeProblem(new Map([['FAKETIME_TIMESTAMP_FILE', file]]), file)).toMatch(/does not preload libfaketime/);
    expect(faketimeProblem(new Map([['LD_PRELOAD', 'libfaketime.so.1']]), file)).toBe(`the Cassandra JVM reads FAKETIME_TIMESTAMP_FILE=(unset), not ${file}`);
  });

  it("waits as long as the JVM's libfaketime cache makes a write take to land", () => {
    // Re-read once the whole seconds move past the duration: up to duration + 1 s, and 10 s unset.
    expect(settleMsFor(new Map([['FAKETIME_CACHE_DURATION', '0']]))).toBe(1_200);
    expect(settleMsFor(new Map([['FAKETIME_CACHE_DURATION', '1']]))).toBe(2_200);
    expect(settleMsFor(new Map())).toBe(11_200);
    expect(settleMsFor(new Map([['FAKETIME_NO_CACHE', '1'], ['FAKETIME_CACHE_DURATION', '5']]))).toBe(1_200);
    expect(settleMsFor(new Map([['FAKETIME_CACHE_DURATION', 'soon']]))).toBe(1_200);
  });

  it("prints a host key's fingerprint as ssh-keygen does", () => {
    // ssh-keygen -lf of this key's public line gives the same SHA256 (checked with OpenSSH 9.2).
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
    expect(fingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    let keygen: string | undefined;
    try {
      keygen = execFileSync('ssh-keygen', ['-lf', '-'], { input: `ssh-ed25519 ${blob.toString('base64')}\n`, encoding: 'utf8' });
    } catch {
      keygen = undefined;
    }
    if (keygen !== undefined) expect(keygen.split(' ')[1]).toBe(fingerprint(blob));
  });
});
