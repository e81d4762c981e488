/**
 * The change review's offline state (tools/lib/review/state.ts), without Terraform: what a state
 * built from a plan holds where the plan left values unknown. change-review.spec and
 * terraform.spec check the whole mechanism against real plans.
 */
import type { PlanForState } from "../tools/lib/terraform/plan-json";
import { type ResourceSchemas, stateFromPlan } from "../tools/lib/review/state";

const identity = { lineage: "spec", terraformVersion: "1.11.4" };
const computed = { type: "string", computed: true } as const;
const optionalComputed = { type: "string", optional: true, computed: true } as const;

const schemas: ResourceSchemas = {
  aws_kms_key: { version: 0, block: { attributes: { id: computed, arn: computed } } },
  aws_ecr_repository: {
    version: 0,
    block: {
      attributes: { id: computed, arn: computed, name: { type: "string", optional: true } },
      block_types: {
        // A list block: its elements line up with the configuration's.
        encryption_configuration: {
          nesting_mode: "list",
          block: { attributes: { encryption_type: { type: "string", optional: true }, kms_key: optionalComputed } },
        },
        // A set block: no order to line up by.
        image_tag_rule: { nesting_mode: "set", block: { attributes: { key: optionalComputed } } },
      },
    },
  },
  aws_cloudwatch_metric_alarm: { version: 1, block: { attributes: { id: computed, alarm_actions: { type: ["set", "string"], optional: true } } } },
};

const KEY_ARN = "${aws_kms_key.key.arn}";

/** The synthesized configuration (cdk.tf.json's `resource`). */
const configuration = {
  resource: {
    aws_kms_key: { key: {} },
    aws_ecr_repository: {
      repo: { name: "repo", encryption_configuration: [{ encryption_type: "KMS", kms_key: KEY_ARN }], image_tag_rule: [{ key: KEY_ARN }] },
    },
    aws_cloudwatch_metric_alarm: { alarm: { alarm_actions: [KEY_ARN] } },
  },
};

/** A create plan of that configuration: every reference to the key is unknown until apply. */
const plan: PlanForState = {
  resource_changes: [
    {
      address: "aws_kms_key.key",
      mode: "managed",
      type: "aws_kms_key",
      name: "key",
      provider_name: "aws",
      change: { actions: ["create"], after: {}, after_unknown: { id: true, arn: true } },
    },
    {
      address: "aws_ecr_repository.repo",
      mode: "managed",
      type: "aws_ecr_repository",
      name: "repo",
      provider_name: "aws",
      change: {
        actions: ["create"],
        after: { name: "repo", encryption_configuration: [{ encryption_type: "KMS" }], image_tag_rule: [{}] },
        after_unknown: { id: true, arn: true, encryption_configuration: [{ kms_key: true }], image_tag_rule: [{ key: true }] },
      },
    },
    {
      address: "aws_cloudwatch_metric_alarm.alarm",
      mode: "managed",
      type: "aws_cloudwatch_metric_alarm",
      name: "alarm",
      provider_name: "aws",
      change: { actions: ["create"], after: {}, after_unknown: { id: true, alarm_actions: true } },
    },
  ],
  configuration: {
    root_module: {
      resources: [
        { address: "aws_ecr_repository.repo", expressions: { encryption_configuration: { references: ["aws_kms_key.key.arn", "aws_kms_key.key"] } } },
        { address: "aws_cloudwatch_metric_alarm.alarm", expressions: { alarm_actions: { references: ["aws_kms_key.key.arn", "aws_kms_key.key"] } } },
      ],
    },
  },
};

const attributesOf = (state: ReturnType<typeof stateFromPlan>, type: string) => state.resources.find((r) => r.type === type)!.instances[0].attributes;

describe("a state built from a create plan, with the synthesized configuration", () => {
  const state = stateFromPlan(plan, schemas, undefined, identity, configuration);
  const keyArn = attributesOf(state, "aws_kms_key").arn;

  test("the referenced key ARN gets a well-formed placeholder", () => {
    expect(keyArn).toMatch(/^arn:aws:review:us-east-1:000000000000:aws_kms_key\//);
  });

  test("a reference inside a list block takes the referenced value, as the next plan computes it", () => {
    expect(attributesOf(state, "aws_ecr_repository").encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: keyArn }]);
  });

  test("a set of references takes the referenced values", () => {
    expect(attributesOf(state, "aws_cloudwatch_metric_alarm").alarm_actions).toEqual([keyArn]);
  });

  test("a set block is left to the next plan: its elements cannot be matched to the configuration's", () => {
    expect((attributesOf(state, "aws_ecr_repository").image_tag_rule as { key: unknown }[])[0].key).not.toBe(keyArn);
  });
});

test("without the configuration, references inside blocks and collections stay unresolved", () => {
  const state = stateFromPlan(plan, schemas, undefined, identity);
  const keyArn = attributesOf(state, "aws_kms_key").arn;
  expect((attributesOf(state, "aws_ecr_repository").encryption_configuration as { kms_key: unknown }[])[0].kms_key).not.toBe(keyArn);
  expect(attributesOf(state, "aws_cloudwatch_metric_alarm").alarm_actions).not.toEqual([keyArn]);
});
