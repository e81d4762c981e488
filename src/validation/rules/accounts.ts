import { partitionOf } from "../../aws/regions";
import type { Problem } from "../../config/problem";
import { ROLE_ARN } from "../../config/schema";
import type { Rule } from "./rule";

/**
 * A deploy role reaches the account it is in: the provider's allowed_account_ids would refuse
 * every plan made with a role of another account, and an offline plan does not assume the role,
 * so the mismatch is refused here. `place`: the account and region the role must serve.
 */
export function deployRolePlaceProblems(
  path: string,
  roleArn: string | undefined,
  place: { readonly accountId: string; readonly region: string },
  whose: string,
): Problem[] {
  const match = roleArn === undefined ? null : ROLE_ARN.exec(roleArn);
  if (!roleArn || !match) return [];
  const problems: Problem[] = [];
  const partition = roleArn.split(":")[1];
  const expected = partitionOf(place.region);
  if (expected && partition !== expected) {
    problems.push({
      path,
      message: `"${roleArn}" is an ARN of partition ${partition}, but ${place.region} is in partition ${expected}; a role acts in its own partition only. Fix: use the ARN of a role in account ${place.accountId}, which begins "arn:${expected}:iam::${place.accountId}:role/".`,
    });
  }
  const account = match[1];
  if (account !== place.accountId) {
    problems.push({
      path,
      message: `"${roleArn}" is a role of account ${account}, not of ${whose} ${place.accountId}; Terraform would act in account ${account}, which the provider's allowed_account_ids refuses. Fix: name the deploy role in account ${place.accountId} ("arn:${expected ?? partition}:iam::${place.accountId}:role/<name>"), or set accountId to ${account} if that is the account meant.`,
    });
  }
  return problems;
}

export const deployRolePlace: Rule = (c) => deployRolePlaceProblems("deployRoleArn", c.deployRoleArn, c, "the environment's accountId");
