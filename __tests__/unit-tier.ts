/** The unit tier's marker: setupTerraform refuses to start Terraform under it (jest.config.js). */
import { TEST_TIER_ENV } from "../tools/lib/terraform/test-tier";

process.env[TEST_TIER_ENV] = "unit";
