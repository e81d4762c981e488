/**
 * A construct's input rule is written once, beside the construct: its constructor throws on it,
 * and the settings validation reports it with settings paths.
 */
import { Testing } from "cdktf";
import type { DeploymentSettings, EnvironmentConfig } from "../src/validation";
import { inSection, type Problem } from "../src/config/problem";
import { backupWindowProblems, storageCeilingProblems } from "../src/constructs/database";
import { httpsCertificateProblems } from "../src/constructs/load-balancer";
import { networkProblems } from "../src/constructs/network";
import { majorUpgradeProblems } from "../src/constructs/postgres-instance";
import { taskCountProblems } from "../src/constructs/service";
import { logsTransitionProblems } from "../src/constructs/storage";
import { EnvironmentStack } from "../src/stacks/environment-stack";
import { configOf } from "./helpers";

type Section = "service" | "database" | "network" | "loadBalancer" | "storage";

/** A rule, the settings section it reads, and a bad value of it. */
const CASES: [string, string, Section, Record<string, unknown>, (config: EnvironmentConfig, settingsPaths: boolean) => Problem[]][] = [
  ["task counts", "dev", "service", { desiredCount: 9 }, (c, s) => taskCountProblems(c.service, s ? inSection("service") : undefined)],
  [
    "storage ceiling",
    "prod",
    "database",
    { allocatedStorageGb: 50, maxAllocatedStorageGb: 40 },
    (c, s) => storageCeilingProblems(c.database, s ? inSection("database") : undefined),
  ],
  [
    "backup window clear of maintenance",
    "prod",
    "database",
    { backupWindow: "05:00-05:30" },
    (c, s) => backupWindowProblems(c.database, s ? inSection("database") : undefined),
  ],
  [
    "major upgrade to a later major",
    "prod",
    "database",
    { engineVersion: "15", majorUpgradeFrom: "16" },
    (c, s) => majorUpgradeProblems(c.database, s ? inSection("database") : undefined),
  ],
  [
    "logs transition after S3's minimum",
    "dev",
    "storage",
    { logsTransitionDays: 10 },
    (c, s) => logsTransitionProblems({ transitionDays: c.storage.logsTransitionDays }, s ? () => "storage.logsTransitionDays" : undefined),
  ],
  [
    "subnets per zone",
    "dev",
    "network",
    { privateSubnetCidrs: ["10.0.10.0/24"] },
    (c, s) =>
      networkProblems(
        { ...c.network, availabilityZones: c.availabilityZones },
        s ? (prop) => (prop === "availabilityZones" ? prop : `network.${prop}`) : undefined,
      ),
  ],
  [
    "HTTPS certificate",
    "dev",
    "loadBalancer",
    { httpsEnabled: true },
    (c, s) => httpsCertificateProblems(c.loadBalancer, s ? inSection("loadBalancer") : undefined, s ? c.region : undefined),
  ],
];

const rendered = (problems: Problem[]) => problems.map((p) => `${p.path} ${p.message}`);

test.each(CASES)("%s: the constructor throws the rule with prop names, the settings report it with settings paths", (_rule, env, section, bad, rule) => {
  // GIVEN a configuration with the bad value, built past validation, and the same value as settings
  const config = configOf(env);
  const unchecked = { ...config, [section]: { ...config[section], ...bad } };
  const settings = { environments: { [env]: { [section]: bad } } } as DeploymentSettings;
  const [asProps, asSettings] = [rendered(rule(unchecked, false)), rendered(rule(unchecked, true))];
  expect(asProps).not.toEqual([]);
  // WHEN the stack is built, and WHEN the settings are validated
  const thrown = () => new EnvironmentStack(Testing.app(), env, { config: unchecked });
  const reported = () => configOf(env, settings);
  // THEN both refuse it, each in its own names
  for (const message of asProps) expect(thrown).toThrow(message);
  for (const message of asSettings) expect(reported).toThrow(message);
});
