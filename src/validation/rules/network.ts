import * as ipaddr from "ipaddr.js";
import { cidrContains, networkProblems } from "../../constructs/network";
import { inSection } from "../../config/problem";
import type { Rule } from "./rule";

/** The primary's network by the Network construct's rule: zones of region, subnets per zone inside the VPC. */
export const primaryNetwork: Rule = (c) =>
  networkProblems({ ...c.network, availabilityZones: c.availabilityZones }, (prop) => (prop === "availabilityZones" ? prop : `network.${prop}`), {
    name: c.region,
    label: `region ${c.region}`,
  });

/** The DR standby's network by the same rule, with the DR region's zones, and apart from the primary's. */
export const drNetwork: Rule = (c) => {
  const dr = c.dr;
  if (!dr.enabled) return [];
  // A stateRegion equal to region is reported once, by stateRegionDiffers, not once per DR zone.
  const region = c.stateRegion === c.region ? undefined : { name: c.stateRegion, label: `the DR region ${c.stateRegion}` };
  const problems = networkProblems(dr, inSection("dr"), region);
  const [vpc, primary] = [ipaddr.IPv4.parseCIDR(dr.vpcCidr), ipaddr.IPv4.parseCIDR(c.network.vpcCidr)];
  if (cidrContains(vpc, primary) || cidrContains(primary, vpc)) {
    problems.push({
      path: "dr.vpcCidr",
      message: `"${dr.vpcCidr}" overlaps network.vpcCidr "${c.network.vpcCidr}"; overlapping networks cannot be peered or routed between. Fix: choose a separate range, e.g. "10.1.0.0/16".`,
    });
  }
  return problems;
};
