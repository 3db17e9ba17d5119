// YAML can spell numbers no setting can use (`.nan`, `.inf`, `-.inf`, or `1e400`, which
// overflows to infinity). One scan over the parsed value finds the first, wherever it is, so the
// error names its field and spells it as YAML does rather than as JSON's `null`.

export interface NonFinite {
  path: (string | number)[];
  value: number;
}

export function firstNonFinite(root: unknown): NonFinite | null {
  // Iterative and in document order; the caller has already bounded the depth.
  const stack: [unknown, (string | number)[]][] = [[root, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) return { path, value };
    if (value === null || typeof value !== 'object') continue;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i -= 1) stack.push([entries[i]![1], [...path, entries[i]![0]]]);
  }
  return null;
}
