/**
 * The documents a team reads before and during a first deploy (docs/prerequisites.md,
 * docs/troubleshooting.md, docs/import.md) say what the code does: the versions are the ones the
 * project requires, every setting they cite exists with the value they quote, and the way to
 * import that docs/import.md shows writes an import block.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../src/validation/deployment";
import { TERRAFORM_MIN_VERSION } from "../tools/lib/terraform/harness";
import { IMPORT_IDS } from "../tools/lib/docs/imports";
import { bareStack } from "./bare-stack";
import { configOf } from "./helpers";

const text = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const READER_DOCS = ["docs/prerequisites.md", "docs/troubleshooting.md", "docs/import.md"];

test("docs/prerequisites.md and the README ask for the Node.js that package.json requires and the Terraform the backend needs", () => {
  const node = JSON.parse(text("package.json")).engines.node.replace(/^>=\s*/, "");
  for (const file of ["docs/prerequisites.md", "README.md"]) {
    expect(text(file)).toMatch(new RegExp(`Node\\.js (\\| )?>= ${node}\\b`));
    expect(text(file)).toMatch(new RegExp(`Terraform (\\| )?>= ${TERRAFORM_MIN_VERSION.replace(".", "\\.")}\\b`));
  }
});

test.each(READER_DOCS)("every setting %s cites is in docs/settings.md's reference", (file) => {
  // GIVEN the settings the reference tables of docs/settings.md list
  const documented = new Set([...text("docs/settings.md").matchAll(/^\| `([a-zA-Z.]+)` \|/gm)].map((m) => m[1]));
  // WHEN the document cites a setting (a dotted path under a settings section, in backticks)
  const sections = new Set([...documented].map((setting) => setting.split(".")[0]));
  const cited = [...text(file).matchAll(/`([a-z][a-zA-Z]*(?:\.[a-zA-Z]+)+)`/g)].map((m) => m[1]).filter((p) => sections.has(p.split(".")[0]));
  // THEN each is a documented setting
  expect(cited.filter((setting) => !documented.has(setting))).toEqual([]);
  if (file === "docs/troubleshooting.md") expect(cited.length).toBeGreaterThan(0);
});

test("docs/troubleshooting.md quotes the committed account, the image tag and the NAT setting as the settings have them", () => {
  const doc = text("docs/troubleshooting.md");
  expect(doc).toContain(`(\`${configOf("dev").accountId}\`)`);
  expect(doc).toContain(`(\`${configOf("dev").service.imageTag}\` by default)`);
  expect([configOf("prod").network.natGateways, configOf("dev").network.natGateways]).toEqual(["one-per-az", "single"]);
  expect(doc).toContain("`network.natGateways`:\n`one-per-az`; the dev preset runs one, `single`");
});

test("docs/import.md names each importable type the table's generator knows, and nothing else", () => {
  const doc = text("docs/import.md");
  const rows = [...doc.matchAll(/^\| `[^`]+` \| `(aws_[a-z_0-9]+)\./gm)].map((m) => m[1]);
  expect(new Set(rows)).toEqual(new Set(IMPORT_IDS.map((i) => i.type)));
});

test("importFrom, as docs/import.md shows it, writes a Terraform import block for the resource's address", () => {
  // GIVEN a network alone
  const bare = bareStack();
  // WHEN its VPC is imported from an existing one
  bare.network.vpc.importFrom("vpc-0123456789abcdef0");
  // THEN the synthesized stack has the import block Terraform plans with
  expect((bare.synth() as { import?: unknown }).import).toEqual([{ to: "aws_vpc.network_vpc", id: "vpc-0123456789abcdef0" }]);
});
