// ESM jest with @swc/jest. Unit specs sit next to the code (src/**/*.spec.ts); integration
// specs (test/**/*.integration-spec.ts) run against the real PostgreSQL and Redis prepared by
// test/global-setup.mjs.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'es6' },
  },
];

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|integration-spec|e2e-spec)\\.ts$',
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  setupFiles: ['<rootDir>/test/setup-env.mjs'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // An ES-only package required from CommonJS (see the file).
    '^content-disposition$': '<rootDir>/test/helpers/content-disposition.cjs',
  },
  transform: { '^.+\\.ts$': swc },
  testTimeout: 30000,
  // Every test file loads the whole application's modules afresh (ESM, no shared registry), and
  // V8 does not give all of it back: over 120 files one process outgrew its heap. `npm test`
  // runs the files one at a time in a worker process (--maxWorkers=1), replaced once it holds
  // more than this after a file.
  workerIdleMemoryLimit: '1GB',
};
