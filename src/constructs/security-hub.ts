import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";
import { arn, type DeploymentContext } from "./context";

/** Security Hub standards, by ARN path after `arn:<partition>:securityhub:<region>::`. */
export const SECURITY_HUB_STANDARDS = {
  fsbp: "standards/aws-foundational-security-best-practices/v/1.0.0",
  cis: "standards/cis-aws-foundations-benchmark/v/3.0.0",
} as const;

/**
 * Security Hub (seed "Set up AWS Security Hub") with AWS Foundational Security Best Practices
 * and CIS, consolidated control findings, and no default standards beyond those.
 */
export class SecurityHub extends Construct {
  public readonly account: SecurityhubAccount;

  constructor(scope: Construct, id: string, props: { readonly context: DeploymentContext }) {
    super(scope, id);
    this.account = new SecurityhubAccount(this, PRIMARY_ID, {
      enableDefaultStandards: false,
      autoEnableControls: true,
      controlFindingGenerator: "SECURITY_CONTROL",
    });
    for (const [key, path] of Object.entries(SECURITY_HUB_STANDARDS)) {
      new SecurityhubStandardsSubscription(this, key, {
        standardsArn: arn(props.context, { service: "securityhub", account: "", resource: path }),
        dependsOn: [this.account],
      });
    }
  }
}
