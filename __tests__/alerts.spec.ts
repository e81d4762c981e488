import { policyDocument, resource, resourcesOf, synthEnvironment } from "./helpers";

describe("Alerts", () => {
  const { json } = synthEnvironment("prod", { alertEmail: "ops@example.edu" });

  test("an SNS topic encrypted with a rotating customer-managed key", () => {
    expect(resource(json, "aws_sns_topic", "alerts")).toMatchObject({
      name: "smh-dashboard-prod-alerts",
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

  test("the configured e-mail is subscribed; without one there is no subscription", () => {
    expect(resource(json, "aws_sns_topic_subscription", "alerts_email")).toMatchObject({ protocol: "email", endpoint: "ops@example.edu" });
    expect(resourcesOf(synthEnvironment("dev").json, "aws_sns_topic_subscription")).toEqual({});
  });
});
