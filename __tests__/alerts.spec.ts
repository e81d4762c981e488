/**
 * The Alerts alone in a stack of its own (the bare stack already holds one, without an e-mail),
 * with explicit props; how the environment stack wires it is in the last block.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { Alerts, type AlertsProps } from "../src/constructs/alerts";
import { deploymentContext } from "../src/constructs/context";
import { NamedStack } from "../src/stacks/named-stack";
import { policyDocument, resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

/** The alerts topic in a stack with a provider and the deployment context; `props` replace the defaults under test. */
function alerts(props: Partial<AlertsProps> = {}): TerraformJson {
  const stack = new NamedStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const context = deploymentContext(stack, { accountId: "123456789012", region: "us-east-1", names: { project: "smh-dashboard", environment: "test" } });
  new Alerts(stack, "alerts", { context, email: "ops@example.edu", ...props });
  return JSON.parse(Testing.synth(stack));
}

describe("Alerts", () => {
  const json = alerts();

  test("an SNS topic encrypted with a rotating customer-managed key", () => {
    expect(resource(json, "aws_sns_topic", "alerts")).toMatchObject({
      name: "smh-dashboard-test-alerts",
      kms_master_key_id: "${aws_kms_key.alerts_key.arn}",
    });
    expect(resource(json, "aws_kms_key", "alerts_key").enable_key_rotation).toBe(true);
  });

  test("the key lets CloudWatch alarms of this account publish", () => {
    expect(policyDocument(json, "alerts_key_policy").statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        }),
      ]),
    );
  });

  test("the e-mail is subscribed; without one there is no subscription", () => {
    expect(resource(json, "aws_sns_topic_subscription", "alerts_email")).toMatchObject({ protocol: "email", endpoint: "ops@example.edu" });
    expect(resourcesOf(alerts({ email: undefined }), "aws_sns_topic_subscription")).toEqual({});
  });
});

describe("the environment stack's alerts", () => {
  test("alertEmail is subscribed to the environment's topic", () => {
    const { json } = synthEnvironment("prod", { alertEmail: "ops@example.edu" });
    expect(resource(json, "aws_sns_topic", "alerts").name).toBe("smh-dashboard-prod-alerts");
    expect(resource(json, "aws_sns_topic_subscription", "alerts_email")).toMatchObject({ protocol: "email", endpoint: "ops@example.edu" });
  });
});
