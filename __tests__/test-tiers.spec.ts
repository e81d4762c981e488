/**
 * The unit tier starts no Terraform: a spec there that sets Terraform up fails, saying where it
 * belongs. That every spec runs in exactly one tier is a repository guard (npm run check, test-tiers).
 */
import { setupTerraform } from "../tools/lib/terraform/harness";

test("GIVEN the unit tier WHEN a spec sets up Terraform THEN it fails, saying where the spec belongs", () => {
  expect(() => setupTerraform()).toThrow(/unit tier .* starts no Terraform.*jest\.config\.js/);
});
