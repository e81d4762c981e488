import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cdktfContext, PROJECT_ROOT } from "../src/validation/deployment";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";
import { copyOfApp } from "./helpers";

/** The environment `cdktf synth` runs main.ts in: context and outdir (a new one unless given), and a settings overlay. */
function mainEnv(settingsOverlay?: object, outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "main-")), "out")): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTEXT_JSON: JSON.stringify(cdktfContext()),
  };
  if (settingsOverlay) {
    env.DEPLOYMENT_SETTINGS = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "main-settings-")), "deployment.json");
    fs.writeFileSync(env.DEPLOYMENT_SETTINGS, JSON.stringify(settingsOverlay));
  }
  return env;
}

/** Runs main.ts as `cdktf synth` does. */
function runMain(settingsOverlay?: object, outdir?: string): { status: number | null; stdout: string; stderr: string; outdir: string } {
  const env = mainEnv(settingsOverlay, outdir);
  const result = spawnSync(process.execPath, ["tools/app.cjs"], {
    cwd: PROJECT_ROOT,
    env,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outdir: env.CDKTF_OUTDIR! };
}

const DEMO_WARNINGS = [
  "prod: WARNING: not encrypted in transit: CloudFront reaches the ALB over plain HTTP (origin side). acceptUnencryptedHttp is true; remove it before real student data.",
  "prod: WARNING: not encrypted in transit: the ALB reaches the tasks over plain HTTP inside the VPC. acceptUnencryptedHttp is true; remove it before real student data.",
];

/** One run of main.ts with the committed settings, read (never changed) by the tests that need no other. */
let committedRun: ReturnType<typeof runMain> | undefined;
const committed = () => (committedRun ??= runMain());

describe("main.ts", () => {
  test("synthesizes the state bootstrap stack, the account baseline and one stack per environment", () => {
    const { status, outdir } = committed();
    expect(status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["baseline", "ci", "dev", "prod", "prod-dr", "state"]);
    // main.ts (settings from the environment, policy check first, checkov baselines) writes the
    // same bytes as the synthesis the Terraform specs run on.
    const plain = cachedSynthesis({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "plain-")), settings: projectSettings() }).stacks;
    for (const stack of plain) {
      expect({
        stack: stack.name,
        same: fs.readFileSync(path.join(outdir, "stacks", stack.name, "cdk.tf.json"), "utf8") === fs.readFileSync(stack.file, "utf8"),
      }).toEqual({ stack: stack.name, same: true });
    }
  });

  test("prints the demo's warnings, then one line per stack it wrote with its path, all on stdout", () => {
    // GIVEN the committed settings (prod accepts plain HTTP for a demo)
    // WHEN main.ts synthesizes
    const { status, stdout, stderr, outdir } = committed();
    // THEN stderr stays empty: the cdktf CLI labels whatever the app writes there "[ERROR]"
    expect(status).toBe(0);
    expect(stderr).toBe("");
    const written = ["baseline", "ci", "dev", "prod", "prod-dr", "state"].map(
      (stack) => `${stack}: ${path.relative(PROJECT_ROOT, path.join(outdir, "stacks", stack, "cdk.tf.json"))}`,
    );
    expect(stdout).toBe([...DEMO_WARNINGS, ...written, ""].join("\n"));
  });

  test("a personal environment's stack directory is kept by a synthesis without its settings file, saying so; the others keep their .terraform", () => {
    // GIVEN an output synthesized with a sandbox from a DEPLOYMENT_SETTINGS file, and a .terraform directory in dev's
    const { outdir } = runMain({ environments: { sbxalice: { preset: "dev" } } });
    expect(fs.existsSync(path.join(outdir, "stacks", "sbxalice", "cdk.tf.json"))).toBe(true);
    fs.mkdirSync(path.join(outdir, "stacks", "dev", ".terraform"));
    // WHEN the committed settings alone are synthesized into the same output, twice
    runMain(undefined, outdir);
    const { status, stdout } = runMain(undefined, outdir);
    // THEN the sandbox's directory is still there and the line says whose it is; dev's .terraform is still there
    expect(status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["baseline", "ci", "dev", "prod", "prod-dr", "sbxalice", "state"]);
    expect(stdout).toContain(
      `kept ${path.relative(PROJECT_ROOT, path.join(outdir, "stacks", "sbxalice"))}: a personal environment's stack, from a DEPLOYMENT_SETTINGS file this synthesis did not read`,
    );
    expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform"))).toBe(true);
  });

  test("a synthesis stopped by SIGTERM leaves the previous output as it was and no staging directory", async () => {
    // GIVEN an output from an earlier synthesis
    const { outdir } = runMain();
    const before = fs.readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8");
    // WHEN a synthesis that would change dev is stopped once its staging directory exists
    const child = spawn(process.execPath, ["tools/app.cjs"], {
      cwd: PROJECT_ROOT,
      env: mainEnv({ environments: { dev: { tags: { Stopped: "yes" } } } }, outdir),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const staging = () => fs.readdirSync(path.dirname(outdir)).filter((name) => name.startsWith("out.staging-"));
    while (staging().length === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child.once("close", resolve));
    // THEN it exits 143, says nothing was written, and leaves no trace
    expect(code).toBe(143);
    expect(stderr).toContain("SIGTERM: stopped; nothing was written");
    expect(staging()).toEqual([]);
    expect(fs.readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8")).toBe(before);
  });

  test("bad settings exit non-zero, name every problem and write no stack", () => {
    const { status, stderr, outdir } = runMain({
      stateRegion: "us-east-1",
      network: { privateSubnetCidrs: ["10.0.10.0/24", "10.0.0.0/24"] },
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(/stateRegion "us-east-1" equals region/);
    expect(stderr).toMatch(/network.privateSubnetCidrs\[1\] "10.0.0.0\/24" overlaps network.publicSubnetCidrs\[0\]/);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("a bad value in environments/qa.json is reported with that file and the key in it, as the one message of every problem", () => {
    // GIVEN a copy of the project with qa's settings in a file of its own, one value refused
    const copy = copyOfApp("main-qa-");
    fs.writeFileSync(path.join(copy, "environments", "qa.json"), '{"preset":"dev","service":{"desiredCount":-1}}');
    // WHEN npm run synth runs there
    const result = spawnSync(process.execPath, ["tools/app.cjs"], {
      cwd: copy,
      encoding: "utf8",
      env: { ...process.env, CDKTF_OUTDIR: path.join(copy, "cdktf.out") },
    });
    // THEN the message names environments/qa.json and service.desiredCount (it said environment "qa"), and ends its line
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr:
        "Invalid deployment configuration (1 problem):\n  - environments/qa.json: service.desiredCount is -1, below the minimum of 0. Fix: set it to 0 or more.\n",
    });
  });

  test("a CIDR with host bits set and a region that does not exist stop synthesis before anything is written", () => {
    const { status, stderr, outdir } = runMain({ network: { vpcCidr: "10.0.0.1/16" }, environments: { dev: { stateRegion: "us-west-9" } } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/ {2}- \S+deployment\.json: network.vpcCidr "10.0.0.1\/16" is not a network address: .* Fix: did you mean "10.0.0.0\/16"\?/);
    expect(stderr).toMatch(/deployment\.json: environments\.dev\.stateRegion "us-west-9" is not an AWS region/);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("a name AWS would refuse stops synthesis with the resource, the name, the limit and the settings to change, and writes nothing", () => {
    // GIVEN environment "production" of project "student-mh-dashboard" (issue: an ALB name of 35 characters), its bucket suffix "mh" inside the project's name
    const { status, stderr, outdir } = runMain({
      project: "student-mh-dashboard",
      storage: { bucketSuffix: "mh" },
      environments: { production: { preset: "dev" } },
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /production: \[AWS-1\] aws_lb.load_balancer name "student-mh-dashboard-production-alb" is 35 characters; AWS allows at most 32 \(.*API_CreateLoadBalancer.*\)\. Fix: shorten or change project "student-mh-dashboard" \(20\) or the environment name "production" \(10\)\. AWS refuses/,
    );
    expect(stderr).toMatch(/production: \[AWS-1\] aws_lb_target_group.load_balancer_app name "student-mh-dashboard-production-[0-9a-f]{3}" is 35 characters/);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("prod refuses plain HTTP on any hop unless acceptUnencryptedHttp says otherwise, and writes nothing", () => {
    const { status, stderr, outdir } = runMain({ environments: { prod: { acceptUnencryptedHttp: false } } });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /environments\/prod\.json: loadBalancer.httpsEnabled leaves a hop unencrypted while protectData is on: CloudFront reaches the ALB over plain HTTP/,
    );
    expect(stderr).toMatch(/Fix: set loadBalancer.httpsEnabled and loadBalancer.certificateArn, and edge.cloudfront.albOriginDomain/);
    expect(stderr).toMatch(
      /environments\/prod\.json: loadBalancer.targetProtocol leaves a hop unencrypted while protectData is on: the ALB reaches the tasks over plain HTTP inside the VPC/,
    );
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("with HTTPS to the ALB and to the tasks there is nothing to accept and no warning", () => {
    const { status, stdout, stderr } = runMain({
      environments: {
        prod: {
          acceptUnencryptedHttp: false,
          loadBalancer: {
            httpsEnabled: true,
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000",
            targetProtocol: "HTTPS",
          },
          edge: { cloudfront: { albOriginDomain: "origin.dashboard.example.edu" } },
          dr: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/5a6b7c8d-1111-2222-3333-444455556666" },
        },
      },
    });
    expect(stderr).toBe("");
    expect(stdout).not.toContain("WARNING");
    expect(status).toBe(0);
  });
});
