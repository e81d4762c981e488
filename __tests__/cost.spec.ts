import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../src/validation/deployment";
import { costReport, costReportParts } from "../tools/lib/ops/cost-report";
import { Progress, QUIET_ENV } from "../tools/lib/console/progress";
import { drStackName } from "../src/config/naming";
import { estimateEnvironment, fargateVcpus, groupTotal, scaleUsage, SEED_ROWS as SEED, SEED_TOTAL, total } from "../tools/lib/ops/cost";
import { plural } from "../tools/lib/ops/words";
import { PRICES } from "../tools/lib/ops/prices";
import { SANDBOX_EXAMPLE } from "../tools/lib/docs/cost-reference";
import { copyOfApp } from "./helpers";
import {
  asSeed,
  baselineEstimate,
  COST_OPTIONS,
  deploymentEnvironments,
  drEstimates,
  environmentJson,
  estimate,
  loadUsage,
  sizeEstimates,
} from "../tools/lib/ops/estimate";

/** Each line may differ from the seed's by this fraction (the seed's prices are older and rounded). */
const TOLERANCE = 0.25;

const usage = loadUsage();
/** dev as the seed configures it (two NAT gateways, interface endpoints, no Spot): what the seed's table prices. */
const dev = estimate("dev as the seed", "dev", usage, asSeed("dev"));

describe("cost estimate (npm run cost)", () => {
  test.each(Object.entries(SEED))("dev with the seed's assumptions: %s lands within 25%% of $%d", (group, seed) => {
    expect(Math.abs(groupTotal(dev.lines, group) - seed) / seed).toBeLessThanOrEqual(TOLERANCE);
  });

  test("the seed's rows together land within 10% of the seed's ~$130", () => {
    const seedRows = Object.keys(SEED).reduce((n, group) => n + groupTotal(dev.lines, group), 0);
    expect(Math.abs(seedRows - SEED_TOTAL) / SEED_TOTAL).toBeLessThanOrEqual(0.1);
  });

  test("RDS adds about the seed's $15 (single-AZ db.t3.micro, 20 GB)", () => {
    const withDb = estimate("dev+db", "dev", usage, asSeed("dev"), { environments: { dev: { database: { enabled: true } } } });
    expect(Math.abs(groupTotal(withDb.lines, "RDS") - 15) / 15).toBeLessThanOrEqual(TOLERANCE);
  });

  test("CloudFront adds about the seed's $20 (100 GB out)", () => {
    expect(Math.abs(groupTotal(estimate("prod", "prod", usage).lines, "CloudFront") - 20) / 20).toBeLessThanOrEqual(TOLERANCE);
  });

  test("what our architecture adds beyond the seed's table is listed as extra lines", () => {
    const extras = dev.lines.filter((l) => l.group === "extra").map((l) => l.item);
    expect(extras).toEqual(
      expect.arrayContaining(["Interface VPC endpoints", "KMS customer-managed keys", "VPC flow logs", "Public IPv4 addresses (NAT Elastic IPs)"]),
    );
    expect(estimate("prod", "prod", usage).lines.map((l) => l.item)).toEqual(
      expect.arrayContaining(["WAF web ACL", "Secrets Manager secret (RDS master)", "S3 replicas in the DR region"]),
    );
  });

  test.each(COST_OPTIONS.map((o) => [o.name, o] as const))("cost option %s lowers the total", (_name, option) => {
    const variant = estimate(option.name, "dev", usage, asSeed("dev"), { environments: { dev: option.settings } });
    expect(variant.total).toBeLessThan(dev.total);
  });

  test("the options save about what the seed says", () => {
    const saving = (index: number) => dev.total - estimate("v", "dev", usage, asSeed("dev"), { environments: { dev: COST_OPTIONS[index].settings } }).total;
    expect(Math.abs(saving(0) - 32) / 32).toBeLessThanOrEqual(TOLERANCE); // single NAT
    expect(Math.abs(saving(1) - 15) / 15).toBeLessThanOrEqual(TOLERANCE); // 1 task
    const fargate = groupTotal(dev.lines, "ECS Fargate");
    expect(saving(2) / fargate).toBeGreaterThanOrEqual(0.25); // Spot: about -30% or more of compute
    expect(Math.abs(saving(3) - 65) / 65).toBeLessThanOrEqual(TOLERANCE); // no NAT
  });

  test("the estimate follows the synthesized configuration, not a fixed list", () => {
    const json = environmentJson("dev", asSeed("dev"));
    const before = total(estimateEnvironment(json, usage));
    json.resource.aws_nat_gateway.network_nat_c = { ...json.resource.aws_nat_gateway.network_nat_a };
    const added = total(estimateEnvironment(json, usage)) - before;
    delete json.resource.aws_nat_gateway.network_nat_c;
    delete json.resource.aws_nat_gateway.network_nat_b;
    const removed = before - total(estimateEnvironment(json, usage));
    // A third gateway costs what the second one did: the count comes from the configuration.
    expect(added).toBeGreaterThan(0);
    expect(added).toBeCloseTo(removed, 6);
  });

  test("an instance class without a price is an error, not a silent zero", () => {
    const json = environmentJson("prod");
    json.resource.aws_db_instance.database.instance_class = "db.x9.huge";
    expect(() => estimateEnvironment(json, usage)).toThrow(/no price for RDS instance class db.x9.huge/);
  });

  test("size presets grow with the users", () => {
    const totals = sizeEstimates("prod", usage).map((e) => e.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(new Set(totals).size).toBe(4);
  });

  test("traffic assumptions scale with users, storage does not", () => {
    const scaled = scaleUsage(usage, 1000);
    expect(scaled.dataTransferOutGb).toBe(usage.dataTransferOutGb * 10);
    expect(scaled.s3StorageGb).toBe(usage.s3StorageGb);
  });
});

describe("dev's cost profile (the dev preset)", () => {
  const committed = estimate("dev", "dev", usage);
  const item = (e: { lines: { item: string; monthly: number }[] }, name: string) => e.lines.find((l) => l.item === name)?.monthly ?? 0;

  test("GIVEN the committed dev WHEN priced THEN it costs at most the seed's ~$130 a month", () => {
    expect(committed.total).toBeLessThanOrEqual(SEED_TOTAL);
  });

  test("GIVEN dev's one NAT gateway and no interface endpoints THEN the tasks' AWS API traffic is charged through the NAT", () => {
    expect(committed.lines.find((l) => l.item === "NAT gateway hours + data")!.basis).toBe(
      `1 x 730 h + ${usage.natProcessedGb + usage.endpointProcessedGb} GB (${usage.endpointProcessedGb} GB of it to AWS APIs, no interface endpoints)`,
    );
    expect(item(committed, "Interface VPC endpoints")).toBe(0);
  });

  test("GIVEN the seed's traffic THEN the interface endpoints cost more than the NAT charges for their bytes (why dev has none)", () => {
    const viaNat = estimate("dev", "dev", usage).lines.find((l) => l.item === "NAT gateway hours + data")!.monthly;
    const withEndpoints = estimate("dev", "dev", usage, { environments: { dev: { network: { interfaceEndpoints: true } } } });
    const endpointsCost = item(withEndpoints, "Interface VPC endpoints");
    const natSaved = viaNat - withEndpoints.lines.find((l) => l.item === "NAT gateway hours + data")!.monthly;
    expect(endpointsCost).toBeGreaterThan(natSaved);
  });

  test("GIVEN Spot in dev THEN one task stays on regular Fargate and one runs on Spot", () => {
    expect(committed.lines.find((l) => l.item === "Fargate tasks")!.basis).toBe(
      "2 x (0.5 vCPU + 1 GB, ARM64) x 12 h x 5 days a week (working hours), 1 on Spot (-70%)",
    );
  });

  test("GIVEN dev's working hours (12 h x 5 days) THEN its tasks are billed for those hours only: 60 of a week's 168, about 261 h a month instead of 730", () => {
    const allDay = estimate("dev", "dev", usage, { environments: { dev: { service: { workingHours: { enabled: false } } } } });
    const fargate = (e: typeof committed) => item(e, "Fargate tasks");
    expect(fargate(committed) / fargate(allDay)).toBeCloseTo(60 / 168, 2);
    expect(committed.total).toBeLessThan(allDay.total);
  });

  test("GIVEN Graviton (ARM64) tasks THEN they are priced at Fargate's Linux/ARM rates, about 20% below x86", () => {
    const x86 = estimate("dev", "dev", usage, { environments: { dev: { service: { cpuArchitecture: "X86_64" } } } });
    const perTask = (rate: { vcpuHour: number; gbHour: number }) => 0.5 * rate.vcpuHour + 1 * rate.gbHour;
    expect(item(committed, "Fargate tasks") / item(x86, "Fargate tasks")).toBeCloseTo(perTask(PRICES.fargate.arm) / perTask(PRICES.fargate), 2);
    expect(1 - perTask(PRICES.fargate.arm) / perTask(PRICES.fargate)).toBeCloseTo(0.2, 1);
  });

  test("GIVEN working hours THEN GuardDuty's Fargate runtime monitoring counts dev's vCPUs for those hours only", () => {
    const allDay = environmentJson("dev", { environments: { dev: { service: { workingHours: { enabled: false } } } } });
    expect(fargateVcpus(environmentJson("dev")) / fargateVcpus(allDay)).toBeCloseTo(60 / 168, 2);
  });

  test("GIVEN a schedule the estimate cannot read THEN it refuses it instead of pricing the tasks around the clock", () => {
    const json = environmentJson("dev");
    json.resource.aws_appautoscaling_scheduled_action.working_hours_stop.schedule = "rate(12 hours)";
    expect(() => estimateEnvironment(json, usage)).toThrow(/cannot read the working hours of .*rate\(12 hours\)/);
  });
});

describe("the sandbox preset", () => {
  const sandbox = estimate("sbxalice", "sbxalice", usage, SANDBOX_EXAMPLE);
  const json = environmentJson("sbxalice", SANDBOX_EXAMPLE);

  test("GIVEN a sandbox declared as docs/settings.md does WHEN priced THEN it costs under $45 a month", () => {
    expect(sandbox.total).toBeLessThan(45);
  });

  test("GIVEN a sandbox THEN it has no NAT gateway and no interface endpoint; its task's public address is priced", () => {
    expect(Object.keys(json.resource.aws_nat_gateway ?? {})).toEqual([]);
    expect(Object.values(json.resource.aws_vpc_endpoint ?? {}).filter((e: any) => e.vpc_endpoint_type === "Interface")).toEqual([]);
    expect(sandbox.lines.find((l) => l.item === "Public IPv4 addresses (tasks)")).toMatchObject({
      basis: "1 x 12 h x 5 days a week (working hours)",
      monthly: 1.3,
    });
  });

  test("GIVEN a sandbox THEN its traffic is its 5 users', not usage.json's 100", () => {
    // the dev preset's CloudFront carries it
    expect(sandbox.lines.find((l) => l.item === "CloudFront data out + HTTPS requests")!.basis).toBe(
      `${usage.cloudfrontGbOut / 20} GB + ${usage.cloudfrontRequestsMillions / 20}M requests`,
    );
  });
});

describe("prod's standby per DR mode", () => {
  const [pilot, warm, active] = drEstimates("prod", usage);
  const item = (e: { lines: { item: string; monthly: number }[] }, name: string) => e.lines.find((l) => l.item === name)?.monthly ?? 0;

  test("pilot-light is the cheapest: the replica, the ALB, no task, no NAT, no interface endpoint", () => {
    expect([pilot.name, warm.name, active.name]).toEqual(["pilot-light", "warm-standby", "active"]);
    expect(pilot.total).toBeLessThan(warm.total);
    expect(warm.total).toBeLessThan(active.total);
    expect(item(pilot, "RDS PostgreSQL instance")).toBeGreaterThan(0);
    expect(item(pilot, "Cross-region transfer (database replication)")).toBeGreaterThan(0);
    expect(item(pilot, "ALB hours + LCU")).toBeGreaterThan(0);
    expect([item(pilot, "Fargate tasks"), item(pilot, "NAT gateway hours + data"), item(pilot, "Interface VPC endpoints")]).toEqual([0, 0, 0]);
  });

  test("warm-standby adds one task, NAT and endpoints; active runs prod's task count and carries the traffic", () => {
    expect(item(warm, "Fargate tasks") * 2).toBeCloseTo(item(active, "Fargate tasks"), 2);
    expect(item(warm, "NAT gateway hours + data")).toBeGreaterThan(0);
    expect(item(active, "ALB hours + LCU")).toBeGreaterThan(item(warm, "ALB hours + LCU"));
    // the promoted database no longer replicates
    expect(item(active, "Cross-region transfer (database replication)")).toBe(0);
  });

  test("the standby's data is prod's bucket replicas, counted once, in prod's estimate", () => {
    for (const e of [pilot, warm, active]) expect(item(e, "S3 Standard storage")).toBe(0);
    expect(item(estimate("prod", "prod", usage), "S3 replicas in the DR region")).toBeGreaterThan(0);
  });
});

describe("docs/settings.md's cost figures are those of the documented commands, run as written", () => {
  const settingsDoc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "settings.md"), "utf8");
  /** The document's blocks of environments/staging.json: the example with certificates, then the demo. */
  const stagingFiles = [...settingsDoc.matchAll(/```json environments\/staging\.json\n([\s\S]*?)```/g)].map((m) => m[1]);
  /** The sandbox as the document declares it in a settings file. */
  const sandboxFile = [...settingsDoc.matchAll(/```json settings\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .find((json) => "sbxalice" in (JSON.parse(json).environments ?? {}));
  /** A copy of the project to run the commands in; its synthesis cache is the project's (keyed by content). */
  const copy = copyOfApp("cost-documented-", true);
  /** `npm run cost` in the copy, as the document writes it: the first table's monthly figure of each stack, and the detail it wrote. */
  const npmRunCost = (env: NodeJS.ProcessEnv = {}) => {
    // Quiet however long it takes (the progress lines are tested below): stderr must hold no error or warning.
    const result = spawnSync("npm", ["run", "-s", "cost"], { cwd: copy, encoding: "utf8", env: { ...process.env, [QUIET_ENV]: "3600000", ...env } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    const figures = Object.fromEntries([...result.stdout.matchAll(/^\| (\S+) \| [^|]+ \| (\$[\d.,]+) \|$/gm)].map((m) => [m[1], m[2]]));
    return { figures, detail: fs.readFileSync(path.join(copy, "review", "cost.md"), "utf8") };
  };

  test("the document shows the staging example with certificates, the demo one, and the sandbox", () => {
    expect(stagingFiles).toHaveLength(2);
    expect(sandboxFile).toBeDefined();
  });

  test.each(stagingFiles.map((json, i) => [i + 1, json]))(
    "environments/staging.json as the document's staging example %d, then npm run cost: staging and its standby are priced, at every size preset",
    (n, json) => {
      // GIVEN the example saved as environments/staging.json (staging from the prod preset, with 1 task of its own)
      fs.writeFileSync(path.join(copy, "environments", "staging.json"), json);
      // WHEN npm run cost runs
      const { figures, detail } = npmRunCost();
      // THEN the figures the document gives for the example are the run's
      if (n === 1) {
        const [, own, standby] = /`npm run cost` prices them at (\$[\d.,]+) and (\$[\d.,]+) a month/.exec(settingsDoc) ?? [];
        expect({ staging: figures.staging, "staging-dr": figures["staging-dr"] }).toEqual({ staging: own, "staging-dr": standby });
      }
      // AND staging and its standby have their sections beside the committed environments'
      expect(detail.match(/^## \S+/gm)).toEqual(["## dev", "## prod", "## staging", "## prod-dr", "## staging-dr", "## Account"]);
      // AND staging is priced at every size preset, the size's task counts in place of its own
      expect(detail.match(/^#### staging at \S+$/gm)).toEqual([
        "#### staging at 100-users",
        "#### staging at 1000-users",
        "#### staging at 10000-users",
        "#### staging at 100000-users",
      ]);
    },
    300_000,
  );

  test("DEPLOYMENT_SETTINGS=deployment.local.json npm run cost, with the document's sandbox: its figure is the presets table's", () => {
    // GIVEN the sandbox saved as deployment.local.json, and no staging
    fs.rmSync(path.join(copy, "environments", "staging.json"), { force: true });
    fs.writeFileSync(path.join(copy, "deployment.local.json"), sandboxFile!);
    // WHEN npm run cost runs with it
    const { figures } = npmRunCost({ DEPLOYMENT_SETTINGS: "deployment.local.json" });
    // THEN sbxalice costs what the presets table says, and the committed environments what it says of them
    const table = /\| `sandbox` \|.*\| sbxalice: (\$[\d.,]+) /.exec(settingsDoc)?.[1];
    const dev = /\| `dev` \|.*\| dev: (\$[\d.,]+) \|/.exec(settingsDoc)?.[1];
    expect({ sbxalice: figures.sbxalice, dev: figures.dev }).toEqual({ sbxalice: table, dev });
  }, 300_000);
});

test("GIVEN dev and prod in accounts of their own WHEN npm run cost reports THEN each account's baseline is priced on its own, on its own environments' vCPUs, the state account's too", () => {
  const previous = process.env.DEPLOYMENT_SETTINGS;
  process.env.DEPLOYMENT_SETTINGS = path.join(__dirname, "fixtures", "multi-account.json");
  try {
    const report = costReport(usage);
    const rows = report.split("\n").filter((line) => line.startsWith("| baseline"));
    const expected = [
      ["baseline", "333333333333 (the Terraform state)", undefined],
      ["baseline-111111111111", "111111111111 (dev)", "dev"],
      ["baseline-222222222222", "222222222222 (prod)", "prod"],
    ].map(([stack, what, environment]) => {
      const vcpus = environment ? fargateVcpus(environmentJson(environment)) : 0;
      const { total: monthly } = baselineEstimate(usage, vcpus, stack);
      return `| ${stack} | account baseline of ${what} | $${monthly.toFixed(2)} |`;
    });
    expect(rows).toEqual(expected);
    expect(report.match(/^## baseline\S*/gm)).toEqual(["## baseline", "## baseline-111111111111", "## baseline-222222222222"]);
  } finally {
    if (previous === undefined) delete process.env.DEPLOYMENT_SETTINGS;
    else process.env.DEPLOYMENT_SETTINGS = previous;
  }
}, 120_000);

test("the basis of a line counts in words: 1 key, 3 keys", () => {
  expect([plural(1, "key"), plural(3, "key"), plural(0, "rule")]).toEqual(["1 key", "3 keys", "0 rules"]);
  expect(baselineEstimate(usage, 0).lines.find((l) => l.item === "KMS customer-managed keys")?.basis).toBe("1 key");
});

describe("the report of npm run cost leads with the answer", () => {
  // The report of the committed settings, made once for these tests.
  const report = costReport(usage);
  /** The rows of the report's first table, as its cells. */
  const firstTable = () => {
    const start = report.split("\n").findIndex((line) => line.startsWith("|"));
    const lines = report.split("\n").slice(start);
    return lines
      .slice(
        2,
        lines.findIndex((line) => !line.startsWith("|")),
      )
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
  };
  const dollars = (cell: string) => Number(cell.replace(/[*$]/g, ""));

  test("its first table comes before any section and lists every environment, prod's standby and the baseline with their totals", () => {
    // GIVEN the committed settings (dev, prod with a warm standby, the baseline)
    // WHEN the report is made
    // THEN the first table, before the first section, has each stack and the total the detail gives it
    expect(report.indexOf("| Stack |")).toBeLessThan(report.indexOf("\n## "));
    const rows = Object.fromEntries(firstTable().map(([stack, , monthly]) => [stack, dollars(monthly)]));
    const standby = drEstimates("prod", usage).find((m) => m.name === "warm-standby")!;
    const vcpus = deploymentEnvironments().reduce((n, e) => n + fargateVcpus(environmentJson(e)), 0);
    expect(rows).toEqual({
      dev: estimate("dev", "dev", usage).total,
      prod: estimate("prod", "prod", usage).total,
      [drStackName("prod")]: standby.total,
      baseline: baselineEstimate(usage, vcpus).total,
      "**Total**": expect.any(Number),
    });
  });

  test("its first table's total is the sum of its rows", () => {
    const rows = firstTable();
    const cents = rows.slice(0, -1).reduce((n, [, , monthly]) => n + Math.round(dollars(monthly) * 100), 0);
    expect(rows.at(-1)![0]).toBe("**Total**");
    expect(Math.round(dollars(rows.at(-1)![2]) * 100)).toBe(cents);
  });

  test("no table of lines is printed twice: a size preset that changes nothing says so", () => {
    // GIVEN 100-users, which sets nothing the presets do not already have
    const tables = report
      .split(/^#+ .*$/m)
      .filter((section) => section.includes("| Seed row |"))
      .map((section) => section.slice(section.indexOf("| Seed row |")).trim());
    // THEN each table of lines appears once, and the size's section points at the environment's
    expect(tables.filter((table, i) => tables.indexOf(table) !== i)).toEqual([]);
    expect(report).toContain("#### dev at 100-users\n\nSame as dev above.\n");
    expect(report).toContain("#### prod-dr at 100-users (warm-standby)\n\nSame as prod-dr in warm-standby mode, below.\n");
  });

  test("it shows dev's savings against the seed's table, row by row, and whether the endpoints pay for themselves", () => {
    const section = report.slice(
      report.indexOf("### dev's cost profile against the seed's table"),
      report.indexOf('### Cost options (seed "Cost Optimization")'),
    );
    const seedConfig = estimate("seed", "dev", usage, asSeed("dev"));
    const committed = estimate("dev", "dev", usage);
    expect(section).toContain(
      `| NAT Gateways | $65.00 | $${groupTotal(seedConfig.lines, "NAT Gateways").toFixed(2)} | $${groupTotal(committed.lines, "NAT Gateways").toFixed(2)} |`,
    );
    expect(section).toContain("| (not in the seed's table) Interface VPC endpoints | - | $43.85 | $0.00 | $43.85 |");
    expect(section).toContain(`| **Total** | ~$130.00 | $${seedConfig.total.toFixed(2)} | $${committed.total.toFixed(2)} |`);
    expect(section).toMatch(/they pay for themselves above \d+ GB a month of ECR and log traffic \(usage.json assumes 5 GB\)/);
  });

  test("it counts in words: no 1 followed by a plural", () => {
    expect(report.match(/(?<![\d.,$])\b1 [a-z-]+s\b/g)).toBeNull();
  });
});

describe("what npm run cost says while it works", () => {
  test("GIVEN a reporter past its quiet time WHEN the report is computed THEN it hears of each estimate as it starts, by stack; the report is the same as without one", () => {
    const lines: string[] = [];
    const progress = new Progress((line) => lines.push(line), { everyMs: 0 });
    const parts = costReportParts(usage, progress);
    progress.stop();
    expect(lines).toEqual([
      "dev: synthesizing and pricing it as configured...",
      "prod: synthesizing and pricing it as configured...",
      "prod-dr: synthesizing and pricing prod's standby...",
      "baseline: pricing the account baseline...",
      ...["dev", "prod"].flatMap((environment) => [
        `${environment}: synthesizing and pricing it as the seed configures it...`,
        `${environment}: synthesizing and pricing the seed's cost options...`,
        `${environment}: synthesizing and pricing each size preset...`,
      ]),
      "prod-dr: synthesizing and pricing each dr.mode...",
    ]);
    expect(parts).toEqual(costReportParts(usage));
  }, 120_000);

  test(`GIVEN ${QUIET_ENV}=0 WHEN npm run cost runs THEN stderr says each estimate as it starts, and stdout is what a quiet run prints`, () => {
    const run = (quiet: string) =>
      spawnSync("npm", ["run", "-s", "cost"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, [QUIET_ENV]: quiet } });
    const [quiet, said] = [run("3600000"), run("0")];
    expect({ status: quiet.status, stderr: quiet.stderr }).toEqual({ status: 0, stderr: "" });
    expect({ status: said.status, stdout: said.stdout }).toEqual({ status: 0, stdout: quiet.stdout });
    expect(said.stderr.split("\n")).toEqual(
      expect.arrayContaining(["dev: synthesizing and pricing it as configured...", "prod-dr: synthesizing and pricing each dr.mode..."]),
    );
    expect(said.stderr.split("\n").filter((line) => line !== "" && !/^[a-z0-9-]+: (synthesizing and )?pricing .*\.\.\.$/.test(line))).toEqual([]);
  }, 120_000);
});

test("npm run cost refuses an unknown argument with its usage, before pricing anything", () => {
  const result = spawnSync(process.execPath, ["--require", "esbuild-register", "tools/cost.ts", "--bogus"], { cwd: PROJECT_ROOT, encoding: "utf8" });
  expect({ status: result.status, stderr: result.stderr.trim(), stdout: result.stdout }).toEqual({
    status: 2,
    stderr: "npm run cost: unknown arguments: --bogus. Usage: npm run cost [-- --detail]",
    stdout: "",
  });
});
