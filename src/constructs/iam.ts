import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { LONGEST_PARTITION, POLICY_QUOTAS, policySize, UNKNOWN_VALUE_LENGTH } from "../aws/policy-size";
import { PRIMARY_ID } from "../config/naming";
import type { DeploymentContext } from "./context";

export type Statement = DataAwsIamPolicyDocumentStatement;

/** Something that can be granted permissions: a role with an inline policy. */
export interface Grantable {
  /** Adds statements to the principal's policy (merging ones with the same sid). */
  addStatements(...statements: Statement[]): void;
}

export interface RoleProps {
  /** Role name. */
  readonly name: string;
  /** Who may assume the role: the statements of its trust policy. */
  readonly trust: Statement[];
  /** Inline policy statements to start with; grants add more. @default [] */
  readonly statements?: Statement[];
  /** AWS managed policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: string[];
  /** Longest session in seconds. @default IAM's default (1 hour) */
  readonly maxSessionDuration?: number;
  /**
   * Where the permissions live. `inline`: one inline policy, which grants may extend later;
   * IAM allows 10,240 characters of inline policy per role. `managed`: the statements, all given
   * here, packed in order into customer managed policies of at most IAM's 6,144 characters each,
   * attached to the role (up to 10): for a role whose permissions outgrow an inline policy (a
   * pipeline's deployer). Sizes count each reference at its longest (src/aws/policy-size.ts);
   * `context` names the partition token. @default "inline"
   */
  readonly permissions?: { readonly kind: "inline" } | { readonly kind: "managed"; readonly context: DeploymentContext };
}

/**
 * An IAM role whose trust and permissions are typed policy documents that Terraform evaluates
 * locally. Constructs grant it access (`bucket.grantRead(role)`); `addStatements` adds anything else.
 */
export class Role extends Construct implements Grantable {
  public readonly role: IamRole;
  public readonly trustPolicy: DataAwsIamPolicyDocument;
  private readonly statements: Statement[] = [];
  private policy?: DataAwsIamPolicyDocument;
  /** Whether the permissions are managed policies, which grants cannot extend. */
  private managed = false;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.trustPolicy = new DataAwsIamPolicyDocument(this, "trust", { statement: props.trust });
    this.role = new IamRole(this, PRIMARY_ID, {
      name: props.name,
      assumeRolePolicy: this.trustPolicy.json,
      maxSessionDuration: props.maxSessionDuration,
    });
    for (const arn of props.managedPolicyArns ?? []) {
      new IamRolePolicyAttachment(this, arn.split("/").pop() as string, { role: this.role.name, policyArn: arn });
    }
    if (props.permissions?.kind === "managed") {
      this.managed = true;
      this.attachManagedPolicies(props.name, props.statements ?? [], props.permissions.context, (props.managedPolicyArns ?? []).length);
    } else {
      this.addStatements(...(props.statements ?? []));
    }
  }

  /**
   * The statements in customer managed policies of at most IAM's size each, in order, each
   * attached to the role: `<name>-permissions`, `<name>-permissions-2`, ... The first keeps the
   * addresses an inline policy's document has (`data.aws_iam_policy_document.<role>_permissions`).
   */
  private attachManagedPolicies(name: string, statements: readonly Statement[], context: DeploymentContext, attached: number): void {
    const estimate = (reference: string) => (reference === context.partition ? LONGEST_PARTITION : "x".repeat(UNKNOWN_VALUE_LENGTH));
    const size = (list: readonly Statement[]) => policySize(list as never, estimate);
    const chunks: Statement[][] = [];
    for (const statement of statements) {
      if (size([statement]) > POLICY_QUOTAS.managed) {
        throw new Error(
          `${this.node.path}: statement ${statement.sid ?? "(no sid)"} alone is ${size([statement])} characters, above IAM's ${POLICY_QUOTAS.managed} for a managed policy. Fix: split it into statements of fewer resources or actions.`,
        );
      }
      const last = chunks[chunks.length - 1];
      if (last && size([...last, statement]) <= POLICY_QUOTAS.managed) last.push(statement);
      else chunks.push([statement]);
    }
    if (attached + chunks.length > POLICY_QUOTAS.managedPerRole) {
      throw new Error(
        `${this.node.path}: needs ${attached + chunks.length} managed policies; IAM attaches at most ${POLICY_QUOTAS.managedPerRole} to a role by default. Fix: narrow the role's statements, or raise the quota and this limit.`,
      );
    }
    chunks.forEach((chunk, i) => {
      const suffix = i === 0 ? "" : `-${i + 1}`;
      const document = new DataAwsIamPolicyDocument(this, `permissions${suffix}`, { statement: chunk });
      const policy = new IamPolicy(this, `policy${suffix}`, { name: `${name}-permissions${suffix}`, policy: document.json });
      new IamRolePolicyAttachment(this, `policy${suffix}-attachment`, { role: this.role.name, policyArn: policy.arn });
    });
  }

  get arn(): string {
    return this.role.arn;
  }

  /** The inline policy's document, once the role has a statement. */
  get policyDocument(): DataAwsIamPolicyDocument | undefined {
    return this.policy;
  }

  /**
   * Adds statements to the role's inline policy. A statement whose sid, effect, actions and
   * conditions equal an existing one's adds its resources to it, so grants of the same kind on
   * several resources read as one statement.
   */
  addStatements(...statements: Statement[]): void {
    if (statements.length === 0) return;
    if (this.managed)
      throw new Error(`${this.node.path}: its permissions are managed policies, packed when it was built; give every statement to the role's props`);
    for (const statement of statements) {
      const same = statement.sid ? this.statements.findIndex((s) => s.sid === statement.sid) : -1;
      if (same < 0) {
        this.statements.push({ ...statement, resources: [...(statement.resources ?? [])] });
        continue;
      }
      const existing = this.statements[same];
      const key = (s: Statement) => JSON.stringify([s.effect, s.actions, s.condition, s.principals]);
      if (key(existing) !== key(statement)) {
        throw new Error(`${this.node.path}: a statement with sid "${statement.sid}" but other actions or conditions exists; give it its own sid`);
      }
      const resources = [...(existing.resources ?? [])];
      for (const r of statement.resources ?? []) if (!resources.includes(r)) resources.push(r);
      this.statements[same] = { ...existing, resources };
    }
    if (this.policy) {
      this.policy.putStatement(this.statements);
      return;
    }
    this.policy = new DataAwsIamPolicyDocument(this, "permissions", { statement: this.statements });
    new IamRolePolicy(this, "policy", { name: "permissions", role: this.role.id, policy: this.policy.json });
  }
}

export interface ServiceRoleProps extends Omit<RoleProps, "trust"> {
  readonly context: DeploymentContext;
  /** Service principal that assumes the role, e.g. `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  /**
   * ARN pattern of the resources on whose behalf the service assumes the role (`aws:SourceArn`),
   * where the service sends it. @default no SourceArn condition
   */
  readonly sourceArn?: string;
}

/** A role for an AWS service: trust limited to this account (and source ARN). */
export class ServiceRole extends Role {
  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    const conditions = [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.context.accountId] }];
    if (props.sourceArn) conditions.push({ test: "ArnLike", variable: "aws:SourceArn", values: [props.sourceArn] });
    super(scope, id, {
      ...props,
      trust: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [props.service] }], condition: conditions }],
    });
  }
}
