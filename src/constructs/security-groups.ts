import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { Network } from "./network";
import { type NameContext, PRIMARY_ID, resourceName } from "../naming";

/** A peer of a rule: a CIDR block, another security group or a managed prefix list. */
export type Peer = { readonly cidr: string } | { readonly securityGroup: SecurityGroup } | { readonly prefixListId: string };

export interface RuleProps {
  readonly port: number;
  readonly peer: Peer;
  /** Shown in the console and in plans: why the rule exists. */
  readonly description: string;
}

function peerArgs(peer: Peer) {
  if ("cidr" in peer) return { cidrIpv4: peer.cidr };
  if ("securityGroup" in peer) return { referencedSecurityGroupId: peer.securityGroup.id };
  return { prefixListId: peer.prefixListId };
}

/**
 * A security group whose rules are separate `aws_vpc_security_group_*_rule` resources (one
 * style everywhere), each TCP on one port with a description, and no rule unless added.
 */
export class Firewall extends Construct {
  public readonly group: SecurityGroup;

  constructor(scope: Construct, id: string, props: { network: Network; names: NameContext; role: string; description: string }) {
    super(scope, id);
    this.group = new SecurityGroup(this, PRIMARY_ID, {
      name: resourceName(props.names, props.role),
      description: props.description,
      vpcId: props.network.vpc.id,
      tags: { Name: resourceName(props.names, props.role) },
      // Rules live in their own resources; replacing the group must not strand its users.
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Allows TCP `port` in from `peer`. `id` names the rule's Terraform address. */
  allowIn(id: string, rule: RuleProps): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, id, this.ruleArgs(rule));
  }

  /** Allows TCP `port` out to `peer`. */
  allowOut(id: string, rule: RuleProps): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, id, this.ruleArgs(rule));
  }

  private ruleArgs(rule: RuleProps) {
    return {
      securityGroupId: this.group.id,
      ipProtocol: "tcp",
      fromPort: rule.port,
      toPort: rule.port,
      description: rule.description,
      ...peerArgs(rule.peer),
    };
  }
}
