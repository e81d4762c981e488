/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.spec.ts"],
  // Type-checking is done once by `tsc --noEmit` in `npm test`; transpiling
  // only keeps each spec file from re-checking the provider bindings.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // One offline plan per stack for the whole run, shared by the specs (global-setup.ts).
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  testTimeout: 30000,
  // Jest's default is one worker on a 2-core machine; the Terraform specs wait on terraform
  // processes much of the time, so two workers overlap them (`npm run bench` times the suite).
  maxWorkers: 2,
  verbose: true,
};
