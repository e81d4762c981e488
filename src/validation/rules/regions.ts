import { partitionOf } from "../../aws/regions";
import type { Rule } from "./rule";

/** A disaster-recovery region to suggest for a primary region: its usual pair, same geography. */
const DR_PAIRS: Readonly<Record<string, string>> = {
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-1": "us-east-1",
  "us-west-2": "us-east-1",
  "ca-central-1": "ca-west-1",
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-west-3": "eu-central-1",
  "eu-central-1": "eu-west-1",
  "eu-north-1": "eu-central-1",
  "ap-southeast-1": "ap-southeast-2",
  "ap-southeast-2": "ap-southeast-1",
  "ap-northeast-1": "ap-northeast-3",
  "ap-south-1": "ap-south-2",
};

export const stateRegionDiffers: Rule = (c) =>
  c.stateRegion === c.region
    ? [
        {
          path: "stateRegion",
          message: `"${c.stateRegion}" equals region; the Terraform state must live in another region to survive a regional outage. Fix: set stateRegion to another region${
            DR_PAIRS[c.region] ? `, e.g. "${DR_PAIRS[c.region]}"` : " of the same geography"
          }.`,
        },
      ]
    : [];

/** The state and DR region serve the primary's ARNs, providers and replication: one partition (aws, aws-us-gov, aws-cn). */
export const regionsShareAPartition: Rule = (c) => {
  const [primary, dr] = [partitionOf(c.region), partitionOf(c.stateRegion)];
  return primary && dr && primary !== dr
    ? [
        {
          path: "stateRegion",
          message: `"${c.stateRegion}" is in partition ${dr}, region "${c.region}" in ${primary}; replication, ARNs and the state bucket do not cross partitions. Fix: choose a stateRegion of partition ${primary}.`,
        },
      ]
    : [];
};
