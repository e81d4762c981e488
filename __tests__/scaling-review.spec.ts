/**
 * What the change review and the policy checks say about the 100000-users tier: a new, empty
 * Aurora cluster beside an existing RDS instance is data at risk (the move is a reviewed path),
 * and protected Aurora clusters, global databases and caches keep their protection.
 */
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsGlobalCluster } from "@cdktf/provider-aws/lib/rds-global-cluster";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { standardTags } from "../src/constructs/providers";
import { policyFindings } from "../src/policy/checks";
import { NamedStack } from "../src/stacks/named-stack";
import { reviewChange } from "../tools/lib/review/change-report";
import type { ResourceChange } from "../tools/lib/terraform/plan-json";

function change(address: string, actions: string[], after: object | null): ResourceChange {
  const [type, name] = address.split(".");
  return {
    address,
    mode: "managed",
    type,
    name,
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions, before: actions[0] === "create" ? null : after, after, after_unknown: {} },
  };
}
const flags = (...changes: ResourceChange[]) => reviewChange("prod", { resource_changes: changes }).flags;
const instance = change("aws_db_instance.database", ["no-op"], { identifier: "smh-dashboard-prod-db" });

describe("the change review of a move to Aurora", () => {
  test("GIVEN a deployed RDS instance WHEN a plan creates an empty Aurora cluster beside it THEN the data at risk gate flags the cluster", () => {
    expect(flags(instance, change("aws_rds_cluster.aurora", ["create"], { engine: "aurora-postgresql" }))).toEqual([
      expect.objectContaining({
        kind: "data at risk",
        address: "aws_rds_cluster.aurora",
        detail: expect.stringMatching(/a new, empty Aurora cluster beside the deployed aws_db_instance\.database: .* `npm run migrate`/),
      }),
    ]);
  });

  test("GIVEN a deployed RDS instance WHEN the cluster replicates it (the migration's first phase) THEN nothing is flagged", () => {
    expect(
      flags(
        instance,
        change("aws_rds_cluster.aurora", ["create"], { replication_source_identifier: "arn:aws:rds:us-east-1:123456789012:db:smh-dashboard-prod-db" }),
      ),
    ).toEqual([]);
  });

  test("GIVEN no RDS instance (a new environment) WHEN the cluster is created THEN nothing is flagged", () => {
    expect(flags(change("aws_rds_cluster.aurora", ["create"], { engine: "aurora-postgresql" }))).toEqual([]);
  });

  test("GIVEN an Aurora instance WHEN it is replaced THEN availability is flagged", () => {
    expect(flags(change("aws_rds_cluster_instance.aurora_instance_b", ["delete", "create"], { instance_class: "db.r6g.xlarge" }))).toEqual([
      expect.objectContaining({ kind: "availability" }),
    ]);
  });
});

describe("PROT-1 on the 100000-users tier", () => {
  const TAGS = standardTags({ project: "p", environment: "test", dataClassification: "confidential-phi" });
  function findings(build: (scope: Construct) => void): string[] {
    const stack = new NamedStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: TAGS }] });
    build(stack);
    return policyFindings(stack, true).map(({ finding }) => `${finding.ruleId} ${finding.address}: ${finding.message}`);
  }
  const cluster = (s: Construct, protect: boolean) =>
    new RdsCluster(s, "aurora", {
      engine: "aurora-postgresql",
      deletionProtection: protect,
      skipFinalSnapshot: !protect,
      finalSnapshotIdentifier: protect ? "final" : undefined,
    });

  test("GIVEN protected data WHEN an Aurora cluster has deletion protection and a final snapshot THEN no finding", () => {
    expect(findings((s) => cluster(s, true))).toEqual([]);
  });

  test("GIVEN protected data WHEN an Aurora cluster lacks both THEN both are findings", () => {
    expect(findings((s) => cluster(s, false))).toEqual([
      "PROT-1 aws_rds_cluster.aurora: has no deletion protection",
      "PROT-1 aws_rds_cluster.aurora: skips the final snapshot",
    ]);
  });

  test("GIVEN protected data WHEN a global database has no deletion protection THEN it is a finding", () => {
    expect(findings((s) => new RdsGlobalCluster(s, "global", { globalClusterIdentifier: "g", deletionProtection: false }))).toEqual([
      "PROT-1 aws_rds_global_cluster.global: has no deletion protection",
    ]);
  });

  test("GIVEN protected data WHEN a cache takes no final snapshot THEN it is a finding; with one, none", () => {
    const cache = (s: Construct, finalSnapshotIdentifier?: string) =>
      new ElasticacheReplicationGroup(s, "cache", { replicationGroupId: "c", description: "c", finalSnapshotIdentifier });
    expect(findings((s) => cache(s))).toEqual(["PROT-1 aws_elasticache_replication_group.cache: takes no final snapshot"]);
    expect(findings((s) => cache(s, "c-final"))).toEqual([]);
  });
});
