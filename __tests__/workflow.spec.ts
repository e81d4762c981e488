/**
 * The pipeline to copy (docs/ci) deploys without keys: every AWS step assumes a role of the ci
 * stack through GitHub's OIDC token. That it lints clean with actionlint is a repository guard
 * (npm run check, workflow).
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../src/validation/deployment";
import { CHECKOV_VERSION } from "../src/policy/checkov";
import { BASELINE_FILE } from "../src/validation/exceptions";
import { appStacks, configOf } from "./helpers";
import { PIPELINE_INIT_ARGS } from "../backend";
import { drStackName, sharedStackKind } from "../src/config/naming";
import { DEPLOY_ROLE_ENV } from "../tools/lib/terraform/harness";

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

test("on pull requests the test job scans every synthesized stack with checkov pinned to the version the exceptions were checked against, each with its own baseline", () => {
  const workflow = fs.readFileSync(path.join(CI, "github-actions.yml"), "utf8");
  const testJob = /\n {2}test:\n([\s\S]*?)\n {2}[a-z-]+:\n/.exec(workflow)?.[1] ?? "";
  const step = /- name: checkov[\s\S]*?(?=\n {6}- |$)/.exec(testJob)?.[0] ?? "";
  expect(step).toContain("if: github.event_name == 'pull_request'");
  expect(step).toContain(`pip install checkov==${CHECKOV_VERSION}\n`);
  expect(step).toContain("npm run synth\n");
  expect(step).toContain("for dir in cdktf.out/stacks/*/; do");
  expect(step).toMatch(/checkov -d "cdktf\.out\/stacks\/\$\{stack\}" --framework terraform_json /);
  expect(step).toContain(`--baseline "cdktf.out/stacks/\${stack}/${BASELINE_FILE}" || status=1`);
  expect(step).toMatch(/npm run -s exceptions\n\s*\} >> "\$GITHUB_STEP_SUMMARY"/);
});

describe("the image is built for the CPU architecture each environment's task definition names", () => {
  const workflow = fs.readFileSync(path.join(CI, "github-actions.yml"), "utf8");
  const imageJob = /\n {2}image:\n([\s\S]*?)\n {2}[a-z-]+:\n/.exec(workflow)?.[1] ?? "";
  const deploy = fs.readFileSync(path.join(CI, "actions", "deploy", "action.yml"), "utf8");
  /** What the job's jq filter (".a.b[].c.d") reads from a synthesized stack, without jq. */
  const readWithFilter = (filter: string, json: unknown): unknown[] =>
    filter
      .slice(1)
      .split(".")
      .reduce<unknown[]>(
        (values, step) =>
          values.flatMap((v) =>
            step.endsWith("[]") ? Object.values((v as Record<string, unknown>)[step.slice(0, -2)] ?? {}) : [(v as Record<string, unknown>)[step]],
          ),
        [json],
      );

  test("GIVEN dev on ARM64 and prod on X86_64 WHEN the image job reads their synthesized task definitions THEN it finds each one's architecture", () => {
    const filter = /jq -r '([^']+)'/.exec(imageJob)?.[1] ?? "";
    const stacks = appStacks();
    expect(["dev", "prod"].map((env) => readWithFilter(filter, stacks.get(env)))).toEqual([["ARM64"], ["X86_64"]]);
    expect(imageJob).toContain('"cdktf.out/stacks/${env}/cdk.tf.json"');
    expect(imageJob).toContain("npm run synth\n");
  });

  test("each architecture is built with docker buildx for its platform, on a runner that can emulate ARM64", () => {
    expect(imageJob).toContain("X86_64) platform=linux/amd64 ;;");
    expect(imageJob).toContain("ARM64) platform=linux/arm64 ;;");
    expect(imageJob).toContain('docker buildx build --platform "${platform}" --load -t "dashboard:${IMAGE_TAG}" "${DOCKER_CONTEXT}"');
    expect(imageJob).toMatch(/uses: docker\/setup-qemu-action@v3[\s\S]*uses: docker\/setup-buildx-action@v3[\s\S]*docker buildx build/);
    expect(imageJob).toMatch(/\*\) echo .* >&2; exit 1 ;;/);
  });

  test("each environment's deploy pushes the image built for its own architecture", () => {
    expect(imageJob).toContain('echo "${arch}" > "image-${env}.arch"');
    expect(imageJob).toMatch(/path: \|\n\s+image-\*\.tar\.gz\n\s+image-\*\.arch/);
    expect(deploy).toContain('docker load < "image-$(cat "image-${{ inputs.environment }}.arch").tar.gz"');
  });
});

describe("the pipeline's OIDC role is already in the environment's account: no deploy role on top of it", () => {
  const workflow = fs.readFileSync(path.join(CI, "github-actions.yml"), "utf8");
  const action = fs.readFileSync(path.join(CI, "actions", "deploy", "action.yml"), "utf8");

  /** The steps of a workflow or composite action, each as its text: a list item that begins with name, uses, run or id. */
  function steps(text: string): string[] {
    const lines = text.split("\n");
    return lines.flatMap((line, i) => {
      const start = /^(\s*)- (name|uses|run|id):/.exec(line);
      if (!start) return [];
      let end = i + 1;
      while (end < lines.length && (lines[end].trim() === "" || /^\s*/.exec(lines[end])![0].length > start[1].length)) end += 1;
      return [lines.slice(i, end).join("\n")];
    });
  }

  /** A step's `env:` entries, comments left out. */
  function envOf(step: string): Record<string, string> {
    const block = /\n(\s+)env:\n((?:\1 +.*\n?)*)/.exec(step)?.[2] ?? "";
    return Object.fromEntries(
      block
        .split("\n")
        .map((line) => /^\s+([A-Za-z_][A-Za-z0-9_]*): (.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
  }

  const cdktfSteps = [...steps(workflow), ...steps(action)].filter((step) => /\bnpx cdktf /.test(step));

  test("GIVEN the workflow and the deploy action WHEN their steps are read THEN three run cdktf: the diff, the deploy and the standby's deploy", () => {
    expect(cdktfSteps.map((step) => /- name: (.*)/.exec(step)?.[1])).toEqual(["cdktf diff ${{ matrix.stacks }}", "cdktf deploy", "cdktf deploy the standby"]);
  });

  test.each(["cdktf diff", "cdktf deploy", "cdktf deploy the standby"])(
    'GIVEN the step "%s" WHEN it runs cdktf THEN it sets deploy_role_arn to "" for the providers and drops the backend\'s assume_role at init',
    (name) => {
      const step = cdktfSteps.find((s) => new RegExp(`- name: ${name}( \\$|\\n)`).test(s));
      expect(step && envOf(step)).toEqual({ [DEPLOY_ROLE_ENV]: '""', TF_CLI_ARGS_init: PIPELINE_INIT_ARGS });
    },
  );

  test("GIVEN the jobs WHEN their stacks are read THEN cdktf runs on environment stacks and their standbys only, never the state stack (whose local backend refuses the init argument), baseline or ci", () => {
    const diffJob = /\n {2}diff:\n([\s\S]*?)\n {2}[a-z-]+:\n/.exec(workflow)?.[1] ?? "";
    const diffed = [...diffJob.matchAll(/^\s+stacks: (.+)$/gm)].flatMap((m) => m[1].split(" "));
    const deployJobs = workflow.split(/\n {2}(?=[a-z-]+:\n)/).filter((job) => job.includes("uses: ./.github/actions/deploy"));
    const deployed = deployJobs.flatMap((job) => {
      const environment = /with:\n\s+environment: (\S+)/.exec(job)?.[1] ?? "";
      return /\n\s+standby: "true"/.test(job) ? [environment, drStackName(environment)] : [environment];
    });
    expect([...action.matchAll(/npx cdktf deploy "([^"]+)"/g)].map((m) => m[1])).toEqual(["${{ inputs.environment }}", "${{ inputs.environment }}-dr"]);
    const stacks = [...new Set([...diffed, ...deployed])].sort();
    const synthesized = appStacks();
    expect(stacks.map((s) => [s, synthesized.has(s), sharedStackKind(s)])).toEqual(["dev", "prod", "prod-dr"].map((s) => [s, true, undefined]));
  });
});

test("GIVEN an account per environment WHEN the jobs pick their account THEN each reads its own environment's variable, which holds that environment's committed accountId", () => {
  const workflow = fs.readFileSync(path.join(CI, "github-actions.yml"), "utf8");
  const env = /\nenv:\n([\s\S]*?)\n\n/.exec(workflow)?.[1] ?? "";
  const accountOf = (variable: string) => new RegExp(`\\n  ${variable}: "(\\d{12})"`).exec(`\n${env}`)?.[1];
  for (const environment of ["dev", "prod"]) {
    const variable = `${environment.toUpperCase()}_ACCOUNT_ID`;
    expect({ environment, account: accountOf(variable) }).toEqual({ environment, account: configOf(environment).accountId });
    // the plan job's matrix entry and the deploy job of this environment name that variable
    expect(workflow).toMatch(new RegExp(`- environment: ${environment}\\n(\\s+\\S.*\\n)*?\\s+account-id-variable: ${variable}\\n`));
    expect(workflow).toMatch(new RegExp(`environment: ${environment}\\n\\s+account-id: \\$\\{\\{ env\\.${variable} \\}\\}`));
  }
  expect(workflow).toContain("role-to-assume: arn:aws:iam::${{ env[matrix.account-id-variable] }}:role/");
  expect(workflow).not.toContain("AWS_ACCOUNT_ID");
});
