/**
 * The unit tier starts no Terraform: a spec there that sets Terraform up fails, saying where it
 * belongs. That every spec runs in exactly one tier is a repository guard (npm run check, test-tiers).
 * The tier's setup files keep cdktf's per-token stack traces off (token-stack-traces.ts), whatever
 * loads cdktf first.
 */
import { ref } from "cdktf";
import { setupTerraform } from "../tools/lib/terraform/harness";

test("GIVEN the unit tier WHEN a spec sets up Terraform THEN it fails, saying where the spec belongs", () => {
  expect(() => setupTerraform()).toThrow(/unit tier .* starts no Terraform.*jest\.config\.js/);
});

test("GIVEN the unit tier's setup files WHEN a spec creates a token THEN cdktf records no stack trace for it (tools/token-stack-trace.cjs)", () => {
  expect(ref("aws_s3_bucket.logs.id").creationStack).toEqual([]);
});
