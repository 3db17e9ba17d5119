// Every history Porcupine publishes, with the verdict it must produce (expectations.tsv).

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import { loadHistory } from '../../checkers/readers/load.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const data = join(repo, 'test/fixtures/porcupine');
const rows = readFileSync(join(data, 'expectations.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t') as [string, string, string, string]);

describe('Porcupine test histories', () => {
  it('lists all 108 histories', () => {
    expect(rows).toHaveLength(108);
  });

  it.each(rows)('%s (%s) is %s with %s operations', (path, model, expected, opCount) => {
    const h = loadHistory(path, readFileSync(join(data, path), 'utf8'));
    expect(h.modelName).toBe(model);
    expect(h.ops).toHaveLength(Number(opCount));
    const r = checkOperations(h.model, h.ops, { timeoutMs: 50_000 });
    expect(r.verdict).toBe(expected);
    if (r.verdict === 'illegal') {
      // The witness names an operation that is not in the partial linearization.
      const p = r.partial[0]!;
      expect(p.order).not.toContain(p.stuck);
    }
  });
});
