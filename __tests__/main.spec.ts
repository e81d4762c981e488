import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cdktfContext } from "../src/config/deployment";
import { synthesizeAll } from "../tools/offline/synth";

const ROOT = path.join(__dirname, "..");

/** Runs main.ts as `cdktf synth` does: context and outdir in the environment. */
function runMain(settingsOverlay?: object): { status: number | null; stderr: string; outdir: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "main-"));
  const outdir = path.join(tmp, "out");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTEXT_JSON: JSON.stringify(cdktfContext()),
  };
  if (settingsOverlay) {
    env.DEPLOYMENT_SETTINGS = path.join(tmp, "deployment.json");
    fs.writeFileSync(env.DEPLOYMENT_SETTINGS, JSON.stringify(settingsOverlay));
  }
  const result = spawnSync(process.execPath, ["tools/app.cjs"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

describe("main.ts", () => {
  test("synthesizes the state bootstrap stack, the account baseline and one stack per environment", () => {
    const { status, stderr, outdir } = runMain();
    // The committed settings accept plain HTTP in prod for a demo, and say so once per hop.
    expect(stderr).toBe(
      [
        "prod: WARNING: not encrypted in transit: CloudFront reaches the ALB over plain HTTP (origin side). acceptUnencryptedHttp is true; remove it before real student data.",
        "prod: WARNING: not encrypted in transit: the ALB reaches the tasks over plain HTTP inside the VPC. acceptUnencryptedHttp is true; remove it before real student data.",
        "",
      ].join("\n"),
    );
    expect(status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["baseline", "ci", "dev", "prod", "prod-dr", "state"]);
    // main.ts (settings from the environment, policy check first, checkov baselines) writes the
    // same bytes as the synthesis the Terraform specs run on.
    const plain = synthesizeAll(fs.mkdtempSync(path.join(os.tmpdir(), "plain-")));
    for (const stack of plain) {
      expect({ stack: stack.name, same: fs.readFileSync(path.join(outdir, "stacks", stack.name, "cdk.tf.json"), "utf8") === fs.readFileSync(stack.file, "utf8") }).toEqual({ stack: stack.name, same: true });
    }
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

  test("a CIDR with host bits set and a region that does not exist stop synthesis before anything is written", () => {
    const { status, stderr, outdir } = runMain({ network: { vpcCidr: "10.0.0.1/16" }, environments: { dev: { stateRegion: "us-west-9" } } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/environment "dev": network.vpcCidr "10.0.0.1\/16" is not a network address: .* Fix: did you mean "10.0.0.0\/16"\?/);
    expect(stderr).toMatch(/environment "dev": stateRegion "us-west-9" is not an AWS region/);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("a name AWS would refuse stops synthesis with the resource, the name, the limit and the settings to change, and writes nothing", () => {
    // GIVEN environment "production" of project "student-mh-dashboard" (issue: an ALB name of 35 characters)
    const { status, stderr, outdir } = runMain({ project: "student-mh-dashboard", storage: { bucketSuffix: "x1" }, environments: { production: { preset: "dev" } } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/production: \[AWS-1\] aws_lb.load_balancer name "student-mh-dashboard-production-alb" is 35 characters; AWS allows at most 32 \(.*API_CreateLoadBalancer.*\)\. Fix: shorten or change project "student-mh-dashboard" \(20\) or the environment name "production" \(10\)/);
    expect(stderr).toMatch(/production: \[AWS-1\] aws_lb_target_group.load_balancer_app name "student-mh-dashboard-production-app" is 35 characters/);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("prod refuses plain HTTP on any hop unless acceptUnencryptedHttp says otherwise, and writes nothing", () => {
    const { status, stderr, outdir } = runMain({ environments: { prod: { acceptUnencryptedHttp: false } } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/environment "prod": loadBalancer.httpsEnabled leaves a hop unencrypted while protectData is on: CloudFront reaches the ALB over plain HTTP/);
    expect(stderr).toMatch(/Fix: set loadBalancer.httpsEnabled and loadBalancer.certificateArn, and edge.cloudfront.albOriginDomain/);
    expect(stderr).toMatch(/environment "prod": loadBalancer.targetProtocol leaves a hop unencrypted while protectData is on: the ALB reaches the tasks over plain HTTP inside the VPC/);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("with HTTPS to the ALB and to the tasks there is nothing to accept and no warning", () => {
    const { status, stderr } = runMain({
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
    expect(status).toBe(0);
  });
});
