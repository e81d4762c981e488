/**
 * The AWS regions a deployment may name, per partition, with the letters of their Availability
 * Zones. The offline plan skips the provider's region validation (it calls no AWS API), so a
 * region or zone that does not exist would only fail at `cdktf deploy`; the settings validation
 * (src/config) checks them against this list instead.
 *
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html and
 * .../aws-availability-zones.html (AZ IDs per region). A zone name is its region's code and a
 * letter. In the oldest regions AWS maps letters to AZ IDs per account, and a letter retired for
 * new accounts still names a zone in older ones, so those letters stay listed. When AWS opens a
 * region, add it here.
 */

/** Regions of each partition, each with the letters of its zones. */
export const PARTITIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws: {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "abc",
    "us-west-2": "abcd",
    "af-south-1": "abc",
    "ap-east-1": "abc",
    "ap-east-2": "abc",
    "ap-south-1": "abc",
    "ap-south-2": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-southeast-3": "abc",
    "ap-southeast-4": "abc",
    "ap-southeast-5": "abc",
    "ap-southeast-6": "abc",
    "ap-southeast-7": "abc",
    "ap-northeast-1": "abcd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "ca-central-1": "abcd",
    "ca-west-1": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "eu-south-1": "abc",
    "eu-south-2": "abc",
    "eu-north-1": "abc",
    "il-central-1": "abc",
    "me-south-1": "abc",
    "me-central-1": "abc",
    "mx-central-1": "abc",
    "sa-east-1": "abc",
  },
  "aws-us-gov": {
    "us-gov-west-1": "abc",
    "us-gov-east-1": "abc",
  },
  "aws-cn": {
    "cn-north-1": "abcd",
    "cn-northwest-1": "abc",
  },
};

/** The shape of a zone name: a region code and one letter. */
export const ZONE_NAME = /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)([a-z])$/;

/** The partition of `region`, or undefined when the list has no such region. */
export function partitionOf(region: string): string | undefined {
  return Object.keys(PARTITIONS).find((partition) => region in PARTITIONS[partition]);
}

/** The regions to suggest for an unknown `region`: those sharing its geography (`us-east-`), else every region of the commercial partition. */
export function regionSuggestions(region: string): string[] {
  const geography = region.replace(/\d+$/, "");
  const all = Object.values(PARTITIONS).flatMap((regions) => Object.keys(regions));
  const near = all.filter((r) => r.startsWith(geography));
  return near.length > 0 ? near : Object.keys(PARTITIONS.aws);
}

/** The zones of `region`, by name (`us-east-1a`...); empty for an unknown region. */
export function zonesOf(region: string): string[] {
  const partition = partitionOf(region);
  return partition ? [...PARTITIONS[partition][region]].map((letter) => `${region}${letter}`) : [];
}

/** Why `zone` is not a zone of `region` (a phrase), or undefined when it is. */
export function zoneProblem(zone: string, region: string): string | undefined {
  const match = ZONE_NAME.exec(zone);
  if (!match) return `"${zone}" is not a zone name (a region code and a letter, such as "${region}a")`;
  if (match[1] !== region) return `"${zone}" is a zone of ${match[1]}, not of ${region}`;
  const zones = zonesOf(region);
  return zones.length > 0 && !zones.includes(zone) ? `"${zone}" is not a zone of ${region}, whose zones are ${zones.join(", ")}` : undefined;
}
