import { describe, expect, it } from 'vitest';
import { parseDeb822, parseSourcesList, pickMirror } from './apt-mirror.ts';

describe('apt mirror discovery', () => {
  it('reads deb822 stanzas, skipping deb-src, disabled and commented entries', () => {
    const text = [
      'Types: deb',
      '# a comment line',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      '',
      'Types: deb-src',
      'URIs: http://src.example/debian',
      'Suites: bookworm',
      'Components: main',
      '',
      'Types: deb',
      'Enabled: no',
      'URIs: http://off.example/debian',
      'Suites: bookworm',
      'Components: main',
    ].join('\n');
    expect(parseDeb822(text)).toEqual([
      { uri: 'http://mirror.example/debian', suites: ['bookworm', 'bookworm-updates'], components: ['main', 'contrib'] },
    ]);
  });

  it('reads one-line sources with options and comments', () => {
    const text = '# deb http://old.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\ndeb-src http://x bookworm main';
    expect(parseSourcesList(text)).toEqual([{ uri: 'http://one.example/debian', suites: ['bookworm'], components: ['main'] }]);
  });

  it('picks the first source carrying the suite with main, not a security or third-party one', () => {
    const sources = [
      { uri: 'http://security.example/debian-security', suites: ['bookworm-security'], components: ['main'] },
      { uri: 'http://vendor.example/apt', suites: ['bookworm'], components: ['stable'] },
      { uri: 'http://mirror.example/debian', suites: ['bookworm'], components: ['main'] },
    ];
    expect(pickMirror(sources, 'bookworm')).toBe('http://mirror.example/debian');
    expect(pickMirror(sources, 'jammy')).toBeUndefined();
  });

  it('falls back to the mirror of another Debian release for a release apt is not set up for', () => {
    const sources = [
      { uri: 'http://security.example/debian-security', suites: ['bookworm-security'], components: ['main'] },
      { uri: 'http://mirror.example/debian', suites: ['bookworm', 'bookworm-updates'], components: ['main'] },
    ];
    expect(pickMirror(sources, 'bullseye')).toBe('http://mirror.example/debian');
    expect(pickMirror([sources[0]!], 'bullseye')).toBeUndefined();
  });
});
