/**
 * The failover runbook (npm run failover): its ordered steps and exact commands for prod, the
 * dry run offline, the executor's order and stop on failure, and the fail-back.
 */
import childProcess, { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { format } from "util";
import { failbackSteps, failoverSteps, modeSetting, recoveryMinutes } from "../tools/lib/ops/dr-runbook";
import { executeSteps, failover, runbookCommand, setJsonPath, settingTarget } from "../tools/lib/ops/runbook";
import { configOf } from "./helpers";
import { PROJECT_ROOT } from "../src/validation/deployment";

const prod = (dr: object = {}) => configOf("prod", { environments: { prod: { dr } } });
const failoverOrigin = { vpcOriginId: "vo_0a1b2c3d4e5f", domainName: "internal-smh-dashboard-prod-dr-alb-1.us-west-2.elb.amazonaws.com" };

describe("npm run failover (dry run, offline)", () => {
  /**
   * What tools/failover.ts runs (runbookCommand(failover, argv)), in this process, with `env` set
   * for the call: its exit status and what it printed. A dry run runs nothing: a process it
   * started would fail it (status 1, the reason on stderr).
   */
  const runWith = (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const [stdout, stderr]: string[][] = [[], []];
    const spies = [
      jest.spyOn(console, "log").mockImplementation((...line) => void stdout.push(`${format(...line)}\n`)),
      jest.spyOn(console, "error").mockImplementation((...line) => void stderr.push(`${format(...line)}\n`)),
      jest.spyOn(childProcess, "spawnSync").mockImplementation((command) => {
        throw new Error(`the dry run started ${command}`);
      }),
    ];
    const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    const cwd = process.cwd();
    Object.assign(process.env, env);
    process.chdir(PROJECT_ROOT);
    try {
      const status = runbookCommand(failover, args);
      return { status, stdout: stdout.join(""), stderr: stderr.join("") };
    } finally {
      process.chdir(cwd);
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      for (const spy of spies) spy.mockRestore();
    }
  };
  const run = (...args: string[]) => runWith({}, ...args);
  const titles = (stdout: string) => [...stdout.matchAll(/^(\d+)\. (.+?)(?: \(\d+-\d+ min\))?$/gm)].map((m) => `${m[1]}. ${m[2]}`);

  test("prints prod's steps in order with their commands, and runs nothing (the command itself, in a process with only the system's commands on its PATH)", () => {
    const result = spawnSync(process.execPath, ["--require", "esbuild-register", "tools/failover.ts", "prod"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: "/usr/bin:/bin" },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Failover of prod to prod-dr in us-west-2, from warm-standby: 6 steps. Dry run: nothing is run");
    expect(titles(result.stdout)).toEqual([
      "1. Check the standby and what the replica holds",
      "2. Record prod-dr as active",
      "3. Deploy prod-dr in active mode",
      "4. Scale the standby to prod's task count",
      "5. Send every request to the standby",
      "6. Check the dashboard answers",
    ]);
    expect(result.stdout).toContain("$ npm run deploy -- prod-dr --auto-approve");
    expect(result.stdout).toContain(
      "$ aws ecs update-service --cluster smh-dashboard-prod-dr-cluster --service dashboard --desired-count 2 --region us-west-2",
    );
    expect(result.stdout).toContain('environments/prod.json: set dr.mode = "active"');
  });

  test("refuses an environment without a standby, saying why", () => {
    const result = run("dev");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('environment "dev" has no standby (dr.enabled is false)');
  });

  test("--from 3 prints the steps from the third on", () => {
    const result = run("prod", "--from", "3");
    expect(result.status).toBe(0);
    expect(titles(result.stdout).map((t) => t.split(".")[0])).toEqual(["3", "4", "5", "6"]);
  });

  test("--from outside the steps is refused, naming the range", () => {
    const result = run("prod", "--from", "9");
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("--from 9: must be a step number from 1 to 6\n");
  });

  test("an environment with a standby declared only in the DEPLOYMENT_SETTINGS file is refused: a personal environment has no standby", () => {
    // GIVEN staging from the prod preset (dr on), declared only in a settings file
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "failover-")), "staging.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ environments: { staging: { preset: "prod", acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } } } } }),
    );
    // WHEN its failover is asked for
    const result = runWith({ DEPLOYMENT_SETTINGS: file }, "staging");
    // THEN the settings are refused, with the committed file as the fix
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `${file}: environments.staging.dr.enabled is true (its preset's), but only the DEPLOYMENT_SETTINGS file declares environment "staging"`,
    );
    expect(result.stderr).toContain("Fix: commit it as environments/staging.json");
  });

  test("a step's settings change goes to the file that declares the environment", () => {
    // GIVEN prod in environments/prod.json, and a sandbox declared only in a settings file
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "failover-")), "sandbox.json");
    // WHEN the targets are asked for
    const prodTarget = settingTarget("prod", { DEPLOYMENT_SETTINGS: file });
    const sandboxTarget = settingTarget("sbxalice", { DEPLOYMENT_SETTINGS: file });
    // THEN prod's goes to its committed file, the sandbox's to the settings file, each at the path inside it
    expect([prodTarget.file, prodTarget.path(modeSetting("prod")), prodTarget.committed]).toEqual([
      path.join(PROJECT_ROOT, "environments", "prod.json"),
      "dr.mode",
      true,
    ]);
    expect([sandboxTarget.file, sandboxTarget.path(modeSetting("sbxalice")), sandboxTarget.committed]).toEqual([file, "environments.sbxalice.dr.mode", false]);
  });

  test("an environment that no settings declare is refused, saying where it was looked for", () => {
    const result = run("staging");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'no environment "staging" in environments/ or cdktf.json (an environment declared in a personal settings file needs DEPLOYMENT_SETTINGS pointing at it)',
    );
  });

  test("--back prints the return to the primary region", () => {
    const result = run("prod", "--back");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Fail-back of prod from prod-dr (us-west-2) to us-east-1");
  });
});

describe("the failover steps", () => {
  test("promotion is a deploy of the standby in active mode, recorded in the settings first", () => {
    const steps = failoverSteps(prod());
    expect(steps[1].setting).toEqual({ path: modeSetting("prod"), value: "active" });
    expect(steps[2].why).toMatch(/^Promotes the replica to a standalone database/);
    expect(steps[2].budget?.source).toMatch(/several minutes or longer/);
  });

  test("a pilot light also waits for NAT, endpoints and its first tasks; a warm standby already serves", () => {
    const [pilot, warm] = [failoverSteps(prod({ mode: "pilot-light" })), failoverSteps(prod())];
    expect(pilot[2].why).toContain("creates the NAT gateways and interface endpoints a pilot light lacks");
    expect(warm[2].why).not.toContain("NAT");
    expect(pilot[3].budget?.minutes).toEqual([2, 3]);
    expect(warm[3].budget?.minutes).toEqual([0, 0]);
  });

  test("with CloudFront's origin group in place, moving traffic costs no recovery time; recovery is fastest there", () => {
    const grouped = failoverSteps(prod({ failoverOrigin }));
    expect(grouped[4].budget?.minutes).toEqual([0, 0]);
    expect(grouped[4].commands.join("\n")).toContain(`--arg dns "${failoverOrigin.domainName}"`);
    const [pilot, warm, withGroup] = [prod({ mode: "pilot-light" }), prod(), prod({ failoverOrigin })].map((c) => recoveryMinutes(c));
    expect(withGroup[1]).toBeLessThan(warm[1]);
    expect(warm[1]).toBeLessThan(pilot[1]);
  });

  test("fail-back keeps the old primary, copies the standby's database back, re-points the state, and rebuilds the replica", () => {
    const titles = failbackSteps(prod()).map((s) => s.title);
    expect(titles).toEqual([
      "Keep the old primary database for the record",
      "Copy the standby's database back to us-east-1",
      "Stop writes, let the copy catch up, promote it",
      "Point prod's state at the new database",
      "Deploy prod",
      "Record prod-dr as a standby again",
      "Replace the standby's database with a fresh replica",
      "Deploy prod-dr as a standby",
    ]);
    expect(failbackSteps(prod())[3].commands).toContain("terraform -chdir=cdktf.out/stacks/prod import aws_db_instance.database smh-dashboard-prod-db");
  });
});

describe("--execute", () => {
  const steps = failoverSteps(prod());
  const recorder = (failOn?: string) => {
    const calls: string[] = [];
    const executor = {
      run: (script: string) => {
        calls.push(`run ${script.split("\n")[0]}`);
        return !(failOn && script.includes(failOn));
      },
      setSetting: (p: string, v: unknown) => calls.push(`set ${p}=${JSON.stringify(v)}`),
      log: () => undefined,
    };
    return { calls, executor };
  };

  test("runs every step in order: the setting before the deploy", () => {
    const { calls, executor } = recorder();
    expect(executeSteps(steps, executor)).toBe(0);
    expect(calls).toEqual([
      expect.stringMatching(/^run aws rds describe-db-instances --db-instance-identifier smh-dashboard-prod-dr-db /),
      'set context.deployment.environments.prod.dr.mode="active"',
      "run npm run deploy -- prod-dr --auto-approve",
      expect.stringMatching(/^run aws ecs update-service --cluster smh-dashboard-prod-dr-cluster /),
      expect.stringMatching(/^run terraform -chdir=cdktf.out\/stacks\/prod-dr init/),
      expect.stringMatching(/^run curl -fsS /),
    ]);
  });

  test("stops at the first failure and resumes from a given step", () => {
    const failing = recorder("npm run deploy");
    expect(executeSteps(steps, failing.executor)).toBe(3);
    expect(failing.calls).toHaveLength(3);
    const resumed = recorder();
    expect(executeSteps(steps, resumed.executor, 4)).toBe(0);
    expect(resumed.calls[0]).toMatch(/^run aws ecs update-service/);
  });

  test("the settings change edits the environment's file in place and keeps the rest", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "failover-")), "prod.json");
    fs.copyFileSync(path.join(PROJECT_ROOT, "environments", "prod.json"), file);
    setJsonPath(file, settingTarget("prod").path(modeSetting("prod")), "active");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(json.dr).toEqual({ mode: "active" });
    expect(json.acceptUnencryptedHttp).toBe(true);
  });
});
