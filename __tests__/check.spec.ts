/**
 * The repository guards of `npm run check` (tools/lib/check) fail when they should: each is given
 * a tree or an input with the mistake it exists for, and must name it. That the project's own
 * tree passes them is `npm run check`'s job (npm test runs it before Jest).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { documentProblems } from "../tools/lib/check/documents";
import { staleSections } from "../tools/lib/check/generated";
import { runGuards } from "../tools/lib/check";
import { ConfigurationError } from "../src/validation";
import { cycles, layerProblems, type Layer } from "../tools/lib/check/layers";
import { syntheses } from "../tools/lib/check/syntheses";
import { tierProblems } from "../tools/lib/check/tiers";
import { workflowFindings } from "../tools/lib/check/workflow";
import { PROJECT_ROOT } from "../src/validation/deployment";

describe("layers", () => {
  const layers: Layer[] = [
    { name: "low", paths: ["src/low/"] },
    { name: "high", paths: ["src/high/"] },
    { name: "commands", paths: ["tools/*.ts"], entryPoints: true },
  ];

  test("the check sees type-only imports and finds a cycle through them", () => {
    // GIVEN two files that import each other, one of them by `import type`
    const a = ts.preProcessFile('import type { B } from "./b";\nexport const a = 1;', true, true).importedFiles.map((f) => f.fileName);
    const graphOfTwo = new Map([
      ["a.ts", a.map(() => "b.ts")],
      ["b.ts", ["a.ts"]],
    ]);
    // WHEN their cycles are looked for THEN the type-only import counts
    expect(a).toEqual(["./b"]);
    expect(cycles(graphOfTwo)).toEqual([["a.ts", "b.ts"]]);
  });

  test("GIVEN an upward import, an imported entry point, a file in no layer and a layer named twice THEN each is named", () => {
    const graph = new Map([
      ["src/low/a.ts", ["src/high/b.ts"]],
      ["src/high/b.ts", ["tools/run.ts"]],
      ["tools/run.ts", []],
      ["src/elsewhere/c.ts", []],
    ]);
    expect(layerProblems([...layers, { name: "low", paths: [] }], graph)).toEqual([
      'layers.json names the layer "low" twice',
      'layers.json: the layer "low" has no path',
      "src/elsewhere/c.ts: in 0 layers (a new folder needs its place in layers.json)",
      "src/low/a.ts (low) imports src/high/b.ts (high), a layer above it",
      "src/high/b.ts (high) imports tools/run.ts (commands), a layer above it",
      "src/high/b.ts imports tools/run.ts, an entry point (it runs when loaded)",
    ]);
  });

  test("GIVEN a layer that names a file instead of its folder THEN it is named, except the design card's top-level files", () => {
    const graph = new Map([
      ["src/low/a.ts", []],
      ["src/high/b.ts", []],
      ["backend.ts", []],
    ]);
    const named = [
      { name: "low", paths: ["src/low/a.ts", "backend.ts"] },
      { name: "high", paths: ["src/high/"] },
    ];
    expect(layerProblems(named, graph)).toEqual([
      'layers.json: the layer "low" names the file src/low/a.ts; name folders only: move the file into a folder of that layer (each folder is one layer)',
    ]);
  });

  test("GIVEN imports that point down THEN nothing is reported", () => {
    expect(
      layerProblems(
        layers,
        new Map([
          ["src/high/b.ts", ["src/low/a.ts"]],
          ["src/low/a.ts", []],
          ["tools/run.ts", ["src/high/b.ts"]],
        ]),
      ),
    ).toEqual([]);
  });
});

test("one synthesis: the check finds an App of one's own and every form of synth call", () => {
  // GIVEN a file that builds and synthesizes stacks itself
  const source = "const app = new App({ outdir });\napp.synth();\nTesting.synth(stack);\nTesting.fullSynth(stack);\nconst n = app.node.id;";
  // WHEN it is checked THEN each construction and call is named with its line
  expect(syntheses("x.ts", source)).toEqual(["x.ts:1: new App", "x.ts:2: app.synth()", "x.ts:3: Testing.synth()", "x.ts:4: Testing.fullSynth()"]);
});

test("test tiers: GIVEN a listed spec that does not exist and a spec in both tiers THEN both are named", () => {
  const root = "/r";
  const projects = [
    { displayName: "unit", testPathIgnorePatterns: ["/node_modules/"] },
    { displayName: "terraform", testRegex: "/__tests__/(plan|gone)\\.spec\\.ts$" },
  ];
  expect(tierProblems(root, projects, ["plan.spec.ts", "unit.spec.ts"])).toEqual([
    'jest.config.js: the terraform tier lists "gone", which is no spec in __tests__',
    "__tests__/plan.spec.ts runs in both tiers",
  ]);
});

describe("documents", () => {
  /** A repository with the project's package.json and .ci/run and one README.md. */
  function repositoryWith(readme: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "check-docs-"));
    fs.copyFileSync(path.join(PROJECT_ROOT, "package.json"), path.join(root, "package.json"));
    fs.mkdirSync(path.join(root, ".ci"));
    fs.copyFileSync(path.join(PROJECT_ROOT, ".ci", "run"), path.join(root, ".ci", "run"));
    fs.mkdirSync(path.join(root, "docs"));
    fs.writeFileSync(path.join(root, "docs", "ops.md"), "# Ops\n");
    fs.writeFileSync(path.join(root, "README.md"), readme);
    return root;
  }
  const SETUP = "## Set-up: the two commands\n\n```sh\nnpm ci && npm run synth   # main job\nnpm test                  # tests\n```\n";

  test("GIVEN a README whose links, scripts and set-up commands are right THEN nothing is reported", () => {
    expect(documentProblems(repositoryWith(`${SETUP}\nSee [ops](docs/ops.md#deploy), [cdktf](https://example.org), \`npm run plan\`.\n`))).toEqual([]);
  });

  test("GIVEN a broken link, a link out of the repository, an unknown script, npx cdktf, an issue number and no set-up commands THEN each is named", () => {
    const root = repositoryWith("See [x](docs/missing.md) and [seed](../seed.md); `npm run nothing`; `npx cdktf deploy`; since issue 24.\n");
    fs.writeFileSync(path.join(root, "..", "seed.md"), "outside");
    expect(documentProblems(root)).toEqual([
      "README.md: the link docs/missing.md points at nothing",
      "README.md: the link ../seed.md leaves the repository (a clone has no such file)",
      "README.md: names npm run nothing, which package.json does not have",
      "README.md: runs the cdktf CLI directly (See [x](docs/missing.md) and [seed](../seed.md); `npm run nothing`; `npx cdktf deploy`; since issue 24.); use the npm script, which switches its version check off",
      'README.md: "issue 24" means nothing to a user; name the version or the date (CHANGELOG.md)',
      'README.md: "Set-up: the two commands" should be `npm ci && npm run synth` and `npm test`, each with its comment',
    ]);
  });
});

test("generated sections: GIVEN a section whose committed text differs from the generator's THEN it is named with the fix", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "check-generated-"));
  const marked = (content: string) => `# Doc\n<!-- generated: table (npm run docs); do not edit by hand -->\n${content}\n<!-- end generated: table -->\n`;
  fs.writeFileSync(path.join(root, "doc.md"), marked("| old |"));
  expect(staleSections(root, { "doc.md": { table: "| new |" } })).toEqual([
    'doc.md: the generated section "table" is stale; run npm run docs and commit the result',
  ]);
  fs.writeFileSync(path.join(root, "doc.md"), marked("| new |"));
  expect(staleSections(root, { "doc.md": { table: "| new |" } })).toEqual([]);
});

test("workflow: the linter catches a real mistake: an unknown context property and a job that needs a missing job", async () => {
  const broken = "on: push\njobs:\n  a:\n    needs: nothing\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.shaa }}\n";
  const kinds = (await workflowFindings(broken, "broken.yml")).map((f) => f.kind);
  expect(kinds).toEqual(expect.arrayContaining(["expression", "job-needs"]));
});

test("a guard that throws fails with what stopped it, as a problem line with its fix, and the guards after it still run", async () => {
  // GIVEN a guard stopped by invalid settings, one by another error, and one that holds
  const guards = [
    {
      id: "settings",
      holds: "-",
      problems: () => {
        throw new ConfigurationError(['cdktf.json: accountId "1" is not 12 digits. Fix: use your account ID.']);
      },
    },
    {
      id: "broken",
      holds: "-",
      problems: () => {
        throw new Error("no such file x.md");
      },
    },
    { id: "after", holds: "it ran", problems: () => [] },
  ];
  // WHEN they run
  const lines: string[] = [];
  const ok = await runGuards(PROJECT_ROOT, (line) => lines.push(line), undefined, guards);
  // THEN each failure is a FAIL with its problem and fix, no stack trace, and the last guard reports
  expect(ok).toBe(false);
  expect(lines).toEqual([
    expect.stringMatching(/^FAIL settings: 1 problem\(s\)/),
    '  - could not run on these settings: cdktf.json: accountId "1" is not 12 digits. Fix: use your account ID.',
    expect.stringMatching(/^FAIL broken: 1 problem\(s\)/),
    expect.stringMatching(/^ {2}- could not run: no such file x\.md \(at .*\)\. Fix: correct what the message names, then run npm run check -- broken$/),
    expect.stringMatching(/^ok {3}after: it ran/),
  ]);
});
