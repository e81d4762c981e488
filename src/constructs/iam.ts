import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../naming";

export interface ServiceRoleProps {
  /** Role name. */
  readonly name: string;
  /** Service principal that assumes the role, e.g. `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  /** Account whose resources may make the service assume the role (confused-deputy guard). */
  readonly accountId: string;
  /**
   * ARN pattern of the resources on whose behalf the service assumes the role (`aws:SourceArn`),
   * where the service sends it. @default no SourceArn condition
   */
  readonly sourceArn?: string;
  /** Inline policy statements; none means no inline policy. @default [] */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /** AWS managed policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: string[];
}

/**
 * An IAM role for an AWS service: trust limited to this account (and source ARN), with its
 * permissions as a typed policy document that Terraform evaluates locally.
 */
export class ServiceRole extends Construct {
  public readonly role: IamRole;
  /** The inline policy, when statements were given. */
  public readonly policy?: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const conditions = [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }];
    if (props.sourceArn) {
      conditions.push({ test: "ArnLike", variable: "aws:SourceArn", values: [props.sourceArn] });
    }
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [props.service] }],
          condition: conditions,
        },
      ],
    });
    this.role = new IamRole(this, PRIMARY_ID, {
      name: props.name,
      assumeRolePolicy: trust.json,
    });
    for (const arn of props.managedPolicyArns ?? []) {
      new IamRolePolicyAttachment(this, arn.split("/").pop() as string, { role: this.role.name, policyArn: arn });
    }
    if (props.statements && props.statements.length > 0) {
      this.policy = new DataAwsIamPolicyDocument(this, "permissions", { statement: props.statements });
      new IamRolePolicy(this, "policy", {
        name: "permissions",
        role: this.role.id,
        policy: this.policy.json,
      });
    }
  }
}
