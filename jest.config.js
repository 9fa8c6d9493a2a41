// One jest run for the whole workspace: the global setup starts embedded PostgreSQL and (unless
// KAFKA_BROKERS is set) a real Kafka broker once, and every project's tests share them.
const preset = require('./jest.preset');

module.exports = {
  transform: preset.transform,
  // Hooks start and stop real servers and Kafka consumers; on a busy two-core machine that can
  // take longer than jest's 5 s default.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  projects: [
    '<rootDir>/libs/*/jest.config.js',
    '<rootDir>/services/*/jest.config.js',
    '<rootDir>/tools/jest.config.js',
  ],
};
