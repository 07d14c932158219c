/**
 * dependency-cruiser (https://github.com/sverweij/dependency-cruiser): a layer calls only the
 * layers below it, so no two folders may depend on each other, directly or around a loop.
 * Checked by scripts/check-folder-cycles.test.mjs in the test suite: `npx depcruise packages/*\/src`.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'Two folders depend on each other: move the shared piece to the lower one (types of Kubernetes objects to kube/, for example).',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Production code only: tests, test helpers (testing/) and benchmarks may reach across layers.
    exclude: { path: ['(^|/)(node_modules|dist|testing|testdata|bench)/', '\\.test\\.ts$'] },
    // TypeScript 7 ships no JavaScript API for dependency-cruiser to parse with; swc parses the
    // sources (type-only imports included: a type import is a dependency too).
    parser: 'swc',
    tsPreCompilationDeps: true,
  },
};
