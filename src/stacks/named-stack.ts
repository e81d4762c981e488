import { type TerraformElement, TerraformStack } from "cdktf";
import { Node } from "constructs";
import { logicalId } from "../config/naming";

/**
 * A stack whose Terraform addresses are the construct path below it in snake case
 * (`aws_subnet.network_public_a`) instead of cdktf's default path plus hash
 * (`aws_subnet.network_publicsubneta_3F2A1B9C`). Addresses are what state is keyed on, so two
 * constructs that would share one are refused at synthesis.
 */
export class NamedStack extends TerraformStack {
  private readonly ownerOfId = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const scopes = node.scopes;
    const path = scopes.slice(scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    const id = logicalId(path);
    const owner = this.ownerOfId.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(`Terraform name "${id}" is used by both ${owner} and ${node.path}; rename one construct`);
    }
    this.ownerOfId.set(id, node.path);
    return id;
  }
}
