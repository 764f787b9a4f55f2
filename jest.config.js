/** Every test runs against a real PostgreSQL: test/global-setup.ts starts one
 * (embedded, throwaway data directory, free port) unless DATABASE_URL names a server. */
module.exports = {
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // iso-3166 and content-disposition (via mercurius) ship ES modules only; Node 20 require()s
    // them natively, but jest's module system needs them turned into CommonJS.
    '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(iso-3166|content-disposition)/)'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
