import { Testing } from "cdktf";
import { StateBootstrapStack } from "../src/stacks/state-bootstrap-stack";
import { synthEnvironment, synthStandby, type TerraformJson } from "./helpers";

/**
 * Terraform keys state on addresses. A refactor that renames the address of a resource holding
 * data would plan its destroy and re-creation; this pins them. Changing this list means writing
 * a `moved` block (or a state migration) for every deployed environment.
 */
const STATEFUL_TYPES = ["aws_s3_bucket", "aws_db_instance", "aws_ecr_repository", "aws_cloudwatch_log_group", "aws_kms_key", "aws_secretsmanager_secret"];

function statefulAddresses(json: TerraformJson): string[] {
  return STATEFUL_TYPES.flatMap((type) => Object.keys(json.resource[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

describe("stable addresses of stateful resources", () => {
  test("prod", () => {
    expect(statefulAddresses(synthEnvironment("prod").json)).toEqual(
      [
        "aws_cloudwatch_log_group.app_logs",
        "aws_cloudwatch_log_group.network_flow_logs",
        "aws_db_instance.database",
        "aws_ecr_repository.registry",
        "aws_kms_key.alerts_key",
        "aws_kms_key.keys_data",
        "aws_kms_key.keys_database",
        "aws_kms_key.keys_dr",
        "aws_kms_key.keys_logs",
        "aws_s3_bucket.storage_data",
        "aws_s3_bucket.storage_data_replica",
        "aws_s3_bucket.storage_logs",
        "aws_s3_bucket.storage_models",
        "aws_s3_bucket.storage_models_replica",
        "aws_s3_bucket.storage_static",
        "aws_cloudwatch_log_group.waf_logs",
      ].sort(),
    );
  });

  test("dev", () => {
    expect(statefulAddresses(synthEnvironment("dev").json)).toEqual(
      [
        "aws_cloudwatch_log_group.app_logs",
        "aws_cloudwatch_log_group.network_flow_logs",
        "aws_ecr_repository.registry",
        "aws_kms_key.alerts_key",
        "aws_kms_key.keys_data",
        "aws_kms_key.keys_logs",
        "aws_s3_bucket.storage_data",
        "aws_s3_bucket.storage_logs",
        "aws_s3_bucket.storage_models",
        // added with the dev preset's CloudFront
        "aws_s3_bucket.storage_static",
      ].sort(),
    );
  });

  test("prod-dr (the DR standby)", () => {
    expect(statefulAddresses(synthStandby("prod"))).toEqual(
      [
        "aws_cloudwatch_log_group.app_logs",
        "aws_cloudwatch_log_group.network_flow_logs",
        "aws_db_instance.replica",
        "aws_kms_key.alerts_key",
        "aws_kms_key.logs_key",
        // added with issue 24: the replica's own key (its ARN is what RDS returns)
        "aws_kms_key.database_key",
        "aws_s3_bucket.storage_logs",
      ].sort(),
    );
  });

  test("state", () => {
    const stack = new StateBootstrapStack(Testing.app(), "state", { project: "smh-dashboard", accountId: "123456789012", stateRegion: "us-west-2", tags: {} });
    expect(statefulAddresses(JSON.parse(Testing.synth(stack)))).toEqual(["aws_s3_bucket.access_logs", "aws_s3_bucket.state"]);
  });
});
