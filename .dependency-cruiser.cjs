// The layering lockstorm keeps (docs/architecture.md): a module may import its own layer and the
// layers below it, never one above, and some rooms of one layer must not know each other.
// Checked by `npm test` (test/layering.test.ts) with dependency-cruiser.

/** Lowest first. Each entry: a name and the path pattern of its modules. */
const layers = [
  ['history', '^history/'],
  ['checkers', '^checkers/'],
  ['core', '^harness/core/'],
  ['workloads', '^workloads/'],
  ['recorder', '^harness/history/'],
  ['cluster', '^harness/cluster/'],
  ['nemesis', '^harness/nemesis/'],
  ['client', '^harness/client/'],
  ['config', '^harness/config/'],
  ['runner', '^harness/runner/'],
  ['report', '^harness/(report|runs)/'],
  ['matrix', '^harness/matrix/'],
  ['cli', '^harness/cli/'],
  // User code shipped as examples (module recipes): it may use lockstorm's types, nothing uses it.
  ['examples', '^examples/'],
];

/** Pairs of rooms that sit side by side and must not import each other (either way). */
const strangers = [
  ['checkers', 'workloads'],
  ['nemesis', 'client'],
  ['report', 'runner'],
  ['report', 'cluster'],
  ['report', 'client'],
];

const pattern = Object.fromEntries(layers);
const upward = layers.flatMap(([name, from], i) => {
  const above = layers.slice(i + 1).map(([, p]) => p);
  if (above.length === 0) return [];
  return [
    {
      name: `no-upward-from-${name}`,
      comment: `${name} is below ${layers.slice(i + 1).map(([n]) => n).join(', ')}: it must not import them`,
      severity: 'error',
      from: { path: from, pathNot: '\\.test\\.ts$' },
      to: { path: above },
    },
  ];
});
const sideways = strangers.flatMap(([a, b]) =>
  [
    [a, b],
    [b, a],
  ].map(([x, y]) => ({
    name: `no-${x}-to-${y}`,
    comment: `${x} and ${y} are separate rooms`,
    severity: 'error',
    from: { path: pattern[x], pathNot: '\\.test\\.ts$' },
    to: { path: pattern[y] },
  })),
);

module.exports = {
  forbidden: [
    ...upward,
    ...sideways,
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: '\\.test\\.ts$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6'],
  },
};
