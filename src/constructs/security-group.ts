import { SecurityGroup as SecurityGroupResource } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { dependable, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";
import type { Network } from "./network";

/** A TCP port that a service listens on, named for rule addresses and descriptions. */
export interface ServicePort {
  /** Short name in rule addresses, e.g. `app` gives `app-from-alb`. */
  readonly id: string;
  readonly port: number;
  /** What runs there, in descriptions: `Streamlit`, `PostgreSQL`. */
  readonly protocol: string;
}

/** A rule to or from addresses outside the project's security groups. */
export interface CidrRuleProps {
  readonly port: number;
  /** IPv4 CIDR block of the peer. */
  readonly cidr: string;
  /** Shown in the console and in plans: why the rule exists. */
  readonly description: string;
}

export interface SecurityGroupProps {
  readonly network: Network;
  /**
   * Readable name of the group: the start of its physical name (`<name>-` and a unique suffix,
   * so that a replacement can exist beside the group it replaces) and its `Name` tag.
   */
  readonly name: string;
  /** Short label in the addresses of rules that reference this group, e.g. `tasks`. */
  readonly label: string;
  /** How rule descriptions name the group's members, e.g. `the dashboard tasks`. */
  readonly members: string;
  /** Console description (cannot change in place: a change replaces the group). */
  readonly description: string;
}

/**
 * A security group whose rules are separate `aws_vpc_security_group_*_rule` resources, each TCP
 * on one port with a description, and no rule unless added. `allowFrom` opens a path between two
 * groups on both sides at once, as AWS CDK's `connections.allowFrom` does.
 */
export class SecurityGroup extends Construct {
  public readonly group: SecurityGroupResource;
  public readonly label: string;
  public readonly members: string;
  /** The rules on this group. */
  private readonly rules: TerraformResource[] = [];
  /** What uses this group (usedBy): each depends on every rule of the group. */
  private readonly users: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    this.label = props.label;
    this.members = props.members;
    this.group = new SecurityGroupResource(this, PRIMARY_ID, {
      // A unique name: AWS refuses a second group of one name in a VPC (InvalidGroup.Duplicate),
      // and the replacement is created while the old group still exists.
      namePrefix: `${props.name}-`,
      description: props.description,
      vpcId: props.network.vpc.id,
      tags: { Name: props.name },
      // Rules live in their own resources; replacing the group must not strand its users.
      lifecycle: { createBeforeDestroy: true },
    });
  }

  get id(): string {
    return this.group.id;
  }

  /**
   * Lets `other`'s members reach this group's members on `port`: the ingress rule here
   * (`<port.id>-from-<other.label>`) and the egress rule on `other` (`<port.id>-to-<label>`).
   */
  allowFrom(other: SecurityGroup, port: ServicePort): void {
    this.add(
      new VpcSecurityGroupIngressRule(this, `${port.id}-from-${other.label}`, {
        ...tcp(this.group.id, port.port, `${port.protocol} from ${other.members}`),
        referencedSecurityGroupId: other.group.id,
      }),
    );
    other.add(
      new VpcSecurityGroupEgressRule(other, `${port.id}-to-${this.label}`, {
        ...tcp(other.group.id, port.port, `${port.protocol} on ${this.members}`),
        referencedSecurityGroupId: this.group.id,
      }),
    );
  }

  /** Allows TCP `port` in from a CIDR block. `id` names the rule's Terraform address. */
  allowIn(id: string, rule: CidrRuleProps): VpcSecurityGroupIngressRule {
    return this.add(new VpcSecurityGroupIngressRule(this, id, { ...tcp(this.group.id, rule.port, rule.description), cidrIpv4: rule.cidr }));
  }

  /** Allows TCP `port` out to a CIDR block. */
  allowOut(id: string, rule: CidrRuleProps): VpcSecurityGroupEgressRule {
    return this.add(new VpcSecurityGroupEgressRule(this, id, { ...tcp(this.group.id, rule.port, rule.description), cidrIpv4: rule.cidr }));
  }

  /**
   * Marks `user` (a service, load balancer, database, endpoint or cache in this group) as
   * depending on every rule of the group, those added later included. With the rules created
   * before they are destroyed, a replacement of the group then runs without a gap: the new group
   * and its rules first, the users moved to it next, the old rules and group last.
   */
  usedBy(user: TerraformResource): void {
    this.users.push(user);
    for (const rule of this.rules) dependOn(user, rule);
  }

  private add<T extends TerraformResource>(rule: T): T {
    this.rules.push(rule);
    for (const user of this.users) dependOn(user, rule);
    return rule;
  }
}

function dependOn(user: TerraformResource, rule: TerraformResource): void {
  user.dependsOn = [...(user.dependsOn ?? []), dependable(rule)];
}

function tcp(securityGroupId: string, port: number, description: string) {
  // Created before the rule it replaces is deleted: when the group is replaced, the new group's
  // rules exist before anything moves to it (usedBy orders the moves before the deletions).
  return { securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, description, lifecycle: { createBeforeDestroy: true } };
}
