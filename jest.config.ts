import type { Config } from 'jest';

// One jest run covers every app and lib. Type checking is `npm run typecheck` (part of `npm test`),
// so ts-jest only transpiles here.
const config: Config = {
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testEnvironment: 'node',
  testRegex: '.*\\.spec\\.ts$',
  // The console's browser code (apps/console/src) is built by Vite and type-checked by its own tsconfig.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/console/src/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleNameMapper: {
    '^@app/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
    '^@app/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
    '^@app/projections(|/.*)$': '<rootDir>/libs/projections/src$1',
    '^@app/messaging(|/.*)$': '<rootDir>/libs/messaging/src$1',
    '^@app/audit(|/.*)$': '<rootDir>/libs/audit/src$1',
    '^@app/command-kernel(|/.*)$': '<rootDir>/libs/command-kernel/src$1',
  },
  testTimeout: 30_000,
  // One real Kafka broker (tools/kafka/broker.sh) per jest run; if KAFKA_BROKERS is set, that broker is used instead.
  globalSetup: '<rootDir>/tools/kafka/jest-global-setup.ts',
  globalTeardown: '<rootDir>/tools/kafka/jest-global-teardown.ts',
};

export default config;
