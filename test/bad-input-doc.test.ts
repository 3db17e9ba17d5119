// docs/bad-input.md promises a test for every row; this keeps the promise checkable: each row
// names `file › test name`, and the file must exist and hold a test of that name.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('docs/bad-input.md', 'utf8');
const rows = doc
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| input |'))
  .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '')));

/** Test names are quoted in source with their own escapes; compare them without backslashes, up to a placeholder. */
function comparable(name: string): string {
  const first = name.split(' / ')[0]!;
  return first.replace(/\\/g, '').split(/%|…|\*/)[0]!.trim().slice(0, 48);
}

describe('docs/bad-input.md', () => {
  it('has rows for every kind of input', () => {
    expect(rows.length).toBeGreaterThan(40);
  });

  it.each(rows.map((r) => [r[0]!.slice(0, 70), r] as const))('names an existing test: %s', (_, row) => {
    expect(row.length).toBe(3);
    const refs = row[2]!.split(/;\s*/).filter((r) => r.includes(' › '));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const [file, ...names] = ref.split(' › ').map((s) => s.trim());
      expect(existsSync(file!), `${file} exists`).toBe(true);
      const source = readFileSync(file!, 'utf8').replace(/\\/g, '');
      // A last part in parentheses ("(each)", "(one row per field)") stands for every test of the group before it.
      const named = names.filter((n) => !/^\(.*\)$/.test(n));
      const name = comparable(named[named.length - 1]!);
      expect(source, `${file} holds a test named like "${name}"`).toContain(name);
    }
  });
});
