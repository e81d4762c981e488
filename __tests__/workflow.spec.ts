/**
 * The pipeline to copy (docs/ci) deploys without keys: every AWS step assumes a role of the ci
 * stack through GitHub's OIDC token. That it lints clean with actionlint is a repository guard
 * (npm run check, workflow).
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../src/config/deployment";

const CI = path.join(PROJECT_ROOT, "docs", "ci");
test("every AWS step assumes a role of the ci stack, and the job asks GitHub for an OIDC token", () => {
  const text = [fs.readFileSync(path.join(CI, "github-actions.yml"), "utf8"), fs.readFileSync(path.join(CI, "actions", "deploy", "action.yml"), "utf8")].join(
    "\n",
  );
  const roles = [...text.matchAll(/role-to-assume: (.*)/g)].map((m) => m[1]);
  expect(roles.length).toBe(3);
  expect(roles.every((r) => /role\/\$\{\{ env\.PROJECT \}\}-ci-\$\{\{ (matrix|inputs)\.environment \}\}-(plan-reader|image-publisher|deployer)$/.test(r))).toBe(
    true,
  );
  expect(text).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  expect(text.match(/id-token: write/g)?.length).toBe(3);
});
