import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";

/**
 * GuardDuty for the account and region (seed "Configure GuardDuty"): threat detection with S3
 * protection and runtime monitoring of ECS Fargate tasks (GuardDuty manages the agent).
 */
export class GuardDuty extends Construct {
  public readonly detector: GuarddutyDetector;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.detector = new GuarddutyDetector(this, PRIMARY_ID, { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" });
    new GuarddutyDetectorFeature(this, "s3", { detectorId: this.detector.id, name: "S3_DATA_EVENTS", status: "ENABLED" });
    new GuarddutyDetectorFeature(this, "runtime", {
      detectorId: this.detector.id,
      name: "RUNTIME_MONITORING",
      status: "ENABLED",
      additionalConfiguration: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }],
    });
  }
}
