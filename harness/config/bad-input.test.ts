// Hostile and mistaken configs: each is refused with one line naming the file and the field,
// exit 2, before anything runs; and no text at all makes the loader throw anything else.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { loadPlan, planFromText } from './index.ts';
import { knownNames } from './known.ts';
import { MAX_CONFIG_BYTES, NODE_TIMER_MAX_MS, MAX_MS } from './limits.ts';

const known = knownNames();
const minimal = 'name: mini\nrecipe: lwt\nduration_s: 30\n';

function errorOf(text: string): string {
  let message: string | undefined;
  try {
    planFromText(text, 'bad.yaml', known);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    message = (err as UserError).message;
  }
  if (message === undefined) throw new Error('expected the config to be rejected');
  expect(message).not.toMatch(/[\n\r]/);
  return message;
}

describe('time fields are bounded: finite, at least 1 ms, at most a day', () => {
  it('a day in ms is inside Node’s timer range, so no accepted value can turn into a 1 ms timer', () => {
    expect(MAX_MS).toBeLessThan(NODE_TIMER_MAX_MS);
  });

  it('duration_s past a day, or below 1 ms', () => {
    expect(errorOf('name: x\nrecipe: lwt\nduration_s: 3000000\n')).toBe('bad.yaml: duration_s: 3000000 must be from 0.001 to 86400 (seconds: 1 ms to 24 h)');
    expect(errorOf('name: x\nrecipe: lwt\nduration_s: 0.0001\n')).toMatch(/^bad\.yaml: duration_s: 0\.0001 must be from 0\.001 to 86400/);
    expect(errorOf('name: x\nrecipe: lwt\nduration_s: 0\n')).toMatch(/^bad\.yaml: duration_s: 0 must be from/);
  });

  it('a nemesis mix’s on_s and off_s', () => {
    expect(errorOf(`${minimal}nemeses:\n  cut:\n    faults: [link]\n    on_s: 3000000\n`)).toMatch(/^bad\.yaml: nemeses\.cut\.on_s: 3000000 must be from 0\.001 to 86400/);
    expect(errorOf(`${minimal}nemeses:\n  cut:\n    faults: [link]\n    off_s: -1\n`)).toMatch(/^bad\.yaml: nemeses\.cut\.off_s: -1 must be from/);
  });

  it('check_timeout_s, op_timeout_ms and the cluster timeouts', () => {
    expect(errorOf(`${minimal}check_timeout_s: 100000\n`)).toMatch(/^bad\.yaml: check_timeout_s: 100000 must be from 0\.001 to 86400/);
    expect(errorOf(`${minimal}op_timeout_ms: 2147483648\n`)).toBe('bad.yaml: op_timeout_ms: 2147483648 must be from 1 to 86400000 (milliseconds: up to 24 h)');
    expect(errorOf(`${minimal}op_timeout_ms: 0.5\n`)).toBe('bad.yaml: op_timeout_ms: expected a whole number, got 0.5');
    for (const t of ['write_ms', 'read_ms', 'cas_contention_ms']) {
      expect(errorOf(`${minimal}cluster:\n  timeouts:\n    ${t}: 86400001\n`)).toMatch(new RegExp(`^bad\\.yaml: cluster\\.timeouts\\.${t}: 86400001 must be from 1 to 86400000`));
    }
  });

  it('the ms figure inside a timestamp mode', () => {
    expect(errorOf(`${minimal}timestamps: "skewed:+99999999999999999999ms"\n`)).toBe('bad.yaml: timestamps: "skewed:+99999999999999999999ms" has more than 86400000 ms (24 h) in it');
    expect(errorOf(`${minimal}matrix:\n  timestamps: [server, "quantized:86400001ms"]\n`)).toMatch(/^bad\.yaml: matrix\.timestamps\[1\]: "quantized:86400001ms" has more than/);
    expect(planFromText(`${minimal}timestamps: "skewed:-86400000ms"\n`, 'ok.yaml', known).plan.cells[0]!.params.timestamps).toEqual({ kind: 'skewed', offsetMs: -86_400_000 });
  });

  it('the bounds themselves are accepted', () => {
    const { plan } = planFromText(
      `name: edge\nrecipe: lwt\nduration_s: 86400\nclients: 200\nkeys: 10000\nseed: 4294967295\nttl_s: 604800\nmin_ops: 1000000\nop_timeout_ms: 86400000\ncheck_timeout_s: 0.001\n`,
      'ok.yaml',
      known,
    );
    expect(plan.cells[0]!.params).toMatchObject({ durationMs: 86_400_000, clients: 200, keys: 10_000, seed: 4_294_967_295, ttlSeconds: 604_800, opTimeoutMs: 86_400_000 });
  });
});

describe('other numbers are bounded, each error naming the field and the bound', () => {
  it.each([
    ['clients: 201', 'clients: 201 must be from 1 to 200'],
    ['clients: 0', 'clients: 0 must be from 1 to 200'],
    ['keys: 10001', 'keys: 10001 must be from 1 to 10000'],
    ['seed: 4294967296', 'seed: 4294967296 must be from 0 to 4294967295 (the random state is 32 bits)'],
    ['seed: -1', 'seed: -1 must be from 0 to 4294967295 (the random state is 32 bits)'],
    ['ttl_s: 604801', 'ttl_s: 604801 must be from 0 to 604800 (seconds; 0 = never expires; at most 7 days)'],
    ['min_ops: 0', 'min_ops: 0 must be from 1 to 1000000'],
    ['min_ops: 1000001', 'min_ops: 1000001 must be from 1 to 1000000'],
    ['name: ' + 'a'.repeat(101), 'name: "' + 'a'.repeat(59) + '… is longer than 100 characters (it names the results folder)'],
  ])('%s', (line, message) => {
    const text = line.startsWith('name:') ? `${line}\nrecipe: lwt\nduration_s: 30\n` : `${minimal}${line}\n`;
    expect(errorOf(text)).toBe(`bad.yaml: ${message}`);
  });

  it('a matrix that expands past 1000 cells names matrix and the count', () => {
    const ttls = Array.from({ length: 12 }, (_, i) => i + 1).join(', ');
    const text = `${minimal}matrix:\n  ttl_s: [${ttls}]\n  write_cl: [ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, LOCAL_ONE]\n  read_cl: [ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, LOCAL_ONE, SERIAL, LOCAL_SERIAL]\n`;
    expect(errorOf(text)).toBe('bad.yaml: matrix: expands to 1080 cells (9 × 10 × 12); at most 1000 are allowed, split the config');
  });
});

describe('matrix values and nemesis names that would make cells collide', () => {
  it('a value listed twice on one axis', () => {
    expect(errorOf(`${minimal}matrix:\n  write_cl: [ONE, ONE]\n`)).toBe('bad.yaml: matrix.write_cl[1]: "ONE" repeats matrix.write_cl[0]; each value makes one cell, list it once');
    expect(errorOf(`${minimal}matrix:\n  ttl_s: [30, 60, 30]\n`)).toBe('bad.yaml: matrix.ttl_s[2]: 30 repeats matrix.ttl_s[0]; each value makes one cell, list it once');
  });

  it('two spellings of one timestamp mode', () => {
    expect(errorOf(`${minimal}matrix:\n  timestamps: ["skewed:5ms", "skewed:+5ms"]\n`)).toBe(
      'bad.yaml: matrix.timestamps[1]: "skewed:+5ms" is the same as "skewed:5ms" at matrix.timestamps[0]; each value makes one cell, list it once',
    );
  });

  it('a nemesis mix named none, the name of "no faults"', () => {
    expect(errorOf(`${minimal}nemeses:\n  none:\n    faults: [link]\n`)).toBe('bad.yaml: nemeses.none: "none" is reserved for "no faults"; give the mix another name');
  });
});

describe('numbers YAML can spell but no setting can use', () => {
  it.each([
    ['duration_s: .nan', 'duration_s: .nan is not a finite number'],
    ['duration_s: .inf', 'duration_s: .inf is not a finite number'],
    ['duration_s: -.inf', 'duration_s: -.inf is not a finite number'],
    ['duration_s: 1e400', 'duration_s: .inf is not a finite number'],
  ])('%s', (line, message) => {
    expect(errorOf(`name: x\nrecipe: lwt\n${line}\n`)).toBe(`bad.yaml: ${message}`);
  });

  it('anywhere in the document, never quoted back as null', () => {
    expect(errorOf(`${minimal}nemeses:\n  cut:\n    faults: [link]\n    params: { latencyMs: .NaN }\n`)).toBe('bad.yaml: nemeses.cut.params.latencyMs: .nan is not a finite number');
    expect(errorOf(`${minimal}matrix:\n  ttl_s: [30, -.Inf]\n`)).toBe('bad.yaml: matrix.ttl_s[1]: -.inf is not a finite number');
    expect(errorOf(`${minimal}description: [.nan]\n`)).not.toContain('null');
  });
});

describe('YAML that would exhaust the parser', () => {
  it('an alias bomb ("billion laughs")', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    expect(errorOf(`${minimal}${bomb}\n`)).toBe('bad.yaml: expands YAML aliases more than 100 times; write the values out');
  });

  it('a few aliases are still fine', () => {
    const text = `${minimal}nemeses:\n  a: { faults: [link], params: &p { linkTargets: one } }\n  b: { faults: [reply-lost], params: *p }\n`;
    expect(planFromText(text, 'ok.yaml', known).config.nemeses.b!.params).toEqual({ linkTargets: 'one' });
  });

  it.each([
    ['flow sequences', `a: ${'['.repeat(100_000)}`],
    ['JSON objects', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`],
    ['compact block sequences', '- '.repeat(50_000)],
    ['indented block mappings', Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
  ])('deep nesting: %s', (_, text) => {
    expect(errorOf(text)).toMatch(/^bad\.yaml: line \d+: nested more than 32 levels deep/);
  });

  it('nesting built from aliases is measured after expansion', () => {
    const layers = Array.from({ length: 6 }, (_, i) => `l${i + 1}: &l${i + 1} [[[[[[*l${i}]]]]]]`);
    expect(errorOf(`l0: &l0 [x]\n${layers.join('\n')}\n`)).toMatch(/^bad\.yaml: nested more than 32 levels deep/);
  });

  it('an unknown tag is refused rather than read as a string', () => {
    expect(errorOf(`${minimal}description: !secret x\n`)).toBe('bad.yaml:4:14: unsupported YAML: Unresolved tag: !secret');
  });

  it('text over the size bound, even when handed over as a string', () => {
    expect(errorOf(`${minimal}description: "${'x'.repeat(MAX_CONFIG_BYTES)}"\n`)).toMatch(/^bad\.yaml: is \d+ bytes; a config may be at most 131072 bytes \(128 KiB\)$/);
  });

  it('a key with a newline in it stays on one line', () => {
    expect(errorOf(`${minimal}"bad\\nkey": 1\n`)).toMatch(/^bad\.yaml: bad\\nkey: unknown field/);
  });
});

describe('reading the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockstorm-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rejects = async (path: string, message: string) => {
    const err = await loadPlan(path, known).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`${path}: ${message}`);
  };

  it('a FIFO is refused without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    await rejects(fifo, 'is a FIFO (named pipe), not a config file');
  });

  it('a directory and a device are refused', async () => {
    const sub = join(dir, 'sub.yaml');
    mkdirSync(sub);
    await rejects(sub, 'is a directory, not a config file');
    await rejects('/dev/zero', 'is a character device, not a config file');
  });

  it('a file over 128 KiB is refused before it is read', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x61));
    await rejects(big, `is ${50 * 1024 * 1024} bytes; a config may be at most 131072 bytes (128 KiB)`);
  });

  it('a file that is not UTF-8', async () => {
    const latin = join(dir, 'latin.yaml');
    writeFileSync(latin, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    await rejects(latin, 'is not UTF-8 text');
  });

  it('a good file loads, and its text is kept as written', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, minimal);
    const loaded = await loadPlan(good, known);
    expect(loaded.text).toBe(minimal);
    expect(loaded.plan.cells).toHaveLength(1);
  });
});

describe('any text either loads or gives one UserError line (property)', () => {
  // Loading may fail only the one way the CLI turns into `lockstorm: <line>` and exit 2.
  function loadsOrOneLine(text: string): void {
    try {
      planFromText(text, 'fuzz.yaml', known);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      expect(err.exitCode).toBe(2);
      expect(err.message.startsWith('fuzz.yaml')).toBe(true);
      expect(err.message).not.toMatch(/[\n\r\u2028\u2029]|\n\s+at /);
    }
  }

  const fragments = [
    'name: a\n', 'recipe: lwt\n', 'duration_s: ', 'nemeses:\n', '  x:\n', '    faults: [link]\n', 'matrix:\n', '  write_cl: ', 'nemesis: ',
    'expect:\n', '  cells: ', '.nan', '.inf', '-.inf', '1e400', '0x1F', '&a ', '*a', '!!binary ', '!tag ', '<<: ', '? ', '- ', ': ', '[', ']', '{', '}',
    ',', '"', "'", '|\n', '>\n', '#', '---\n', '...\n', '%YAML 1.2\n', '\t', '\n', '  ', 'none', '__proto__', 'constructor', 'ONE', 'ttl_s', '\u0000', '\ufeff',
  ];
  const yamlish = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength: 40 }).map((parts) => parts.join(''));

  const FIELDS = ['name', 'recipe', 'duration_s', 'clients', 'keys', 'seed', 'ttl_s', 'min_ops', 'op_timeout_ms', 'check_timeout_s', 'cluster', 'timestamps', 'nemesis', 'nemeses', 'matrix', 'expect', 'write_cl'];
  const nearlyConfig = fc
    .dictionary(fc.constantFrom(...FIELDS), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e300, -0)))
    .map((extra) => ({ name: 'f', recipe: 'lwt', duration_s: 1, ...extra }));

  it('YAML-ish text', () => {
    fc.assert(fc.property(yamlish, loadsOrOneLine), { numRuns: 400 });
  });

  it('arbitrary JSON values, as JSON text', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => loadsOrOneLine(JSON.stringify(v))), { numRuns: 300 });
  });

  it('configs with arbitrary values in real fields, as YAML and as JSON', () => {
    fc.assert(
      fc.property(nearlyConfig, (config) => {
        loadsOrOneLine(toYaml(config));
        loadsOrOneLine(JSON.stringify(config));
      }),
      { numRuns: 300 },
    );
  });
});
