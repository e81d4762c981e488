/**
 * Set by the unit tier of the test suite (jest.config.js): no spec there may start Terraform
 * (setupTerraform refuses). A file of its own, so that the tier's marker loads nothing else.
 */
export const TEST_TIER_ENV = "SMH_TEST_TIER";
