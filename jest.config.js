/**
 * Two tiers. `unit`: everything that starts no Terraform (constructs, settings, policy, the
 * review's flag rules, the offline state builder, cost, diagrams, runbooks), `npm run test:unit`.
 * `terraform`: the specs that run terraform init/validate/plan/test or apply, sharing one offline
 * plan per stack (global-setup.ts). `npm test` runs both. A unit spec that starts Terraform fails
 * saying so (SMH_TEST_TIER, tools/lib/terraform/harness.ts), so the list below cannot drift quietly.
 */
const TERRAFORM_SPECS = ["change-review", "deploy-role", "docs", "dr-modes", "environments", "hcl", "national-scale", "terraform"];

const terraformSpec = `<rootDir>/__tests__/(${TERRAFORM_SPECS.join("|")})\\.spec\\.ts$`;

const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  // Type-checking is done once by `tsc --noEmit` in `npm test`; transpiling
  // only keeps each spec file from re-checking the provider bindings.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // First: cdktf's per-token stack traces off before anything loads cdktf (token-stack-traces.ts).
  setupFiles: ["<rootDir>/__tests__/token-stack-traces.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/__tests__/**/*.spec.ts"],
      testPathIgnorePatterns: ["/node_modules/", terraformSpec],
      setupFiles: [...shared.setupFiles, "<rootDir>/__tests__/unit-tier.ts"],
    },
    {
      ...shared,
      displayName: "terraform",
      testRegex: terraformSpec.replace("<rootDir>/__tests__/", "/__tests__/"),
      // One offline plan per stack for the whole run, shared by the specs (global-setup.ts).
      globalSetup: "<rootDir>/__tests__/global-setup.ts",
    },
  ],
  testTimeout: 30000,
  // Jest's default is one worker on a 2-core machine; the Terraform specs wait on terraform
  // processes much of the time, so two workers overlap them (`npm run bench` times the suite).
  maxWorkers: 2,
  verbose: true,
};
