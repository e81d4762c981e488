import { partitionOf } from "../../aws/regions";
import { albOriginProblems } from "../../constructs/edge";
import { httpsCertificateProblems } from "../../constructs/load-balancer";
import { GLOBAL_REGION } from "../../constructs/providers";
import { spotProblems, taskCountProblems } from "../../constructs/service";
import { warmUpMinutes, workingHoursProblems } from "../../constructs/working-hours";
import { inSection, type Problem } from "../../config/problem";
import type { EnvironmentConfig } from "../../config/schema";
import type { Rule } from "./rule";

/** Fargate's CPU units and the memory sizes (MiB) each one accepts. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** The service's task counts, by the Service construct's rule. */
export const desiredCountWithinScaling: Rule = (c) => taskCountProblems(c.service, inSection("service"));

/** Spot settings that run a task on Spot, by the Service construct's rule. */
export const spotRunsATask: Rule = (c) => spotProblems(c.service, inSection("service"));

/** Working hours, by the WorkingHours construct's rule: never with protected data, a day that runs the service. */
export const workingHoursRunTheService: Rule = (c) =>
  c.service.workingHours.enabled
    ? workingHoursProblems(
        { ...c.service.workingHours, protectData: c.protectData, desiredCount: c.service.desiredCount, warmUpMinutes: warmUpMinutes(c.service, c.monitoring) },
        inSection("service.workingHours"),
        inSection("service"),
      )
    : [];

/** Tasks with public addresses: never with protected data, and then no NAT gateway serves them. */
export const publicTasksUnprotectedWithoutNat: Rule = (c) => {
  if (!c.service.assignPublicIp) return [];
  const problems: Problem[] = [];
  if (c.protectData)
    problems.push({
      path: "service.assignPublicIp",
      message: `true puts the tasks of an environment with protectData true on public addresses. Fix: set service.assignPublicIp to false (tasks in the private subnets); public tasks are for sandboxes without real data (the sandbox preset).`,
    });
  if (c.network.natGateways !== "none")
    problems.push({
      path: "service.assignPublicIp",
      message: `true puts the tasks in the public subnets, so network.natGateways "${c.network.natGateways}" serves nothing and costs about $36.50 a month per gateway. Fix: set network.natGateways to "none", or service.assignPublicIp to false.`,
    });
  return problems;
};

export const fargateCpuMemory: Rule = (c) => {
  const { cpu, memory } = c.service;
  const allowed = FARGATE_MEMORY[cpu];
  if (!allowed) {
    return [
      {
        path: "service.cpu",
        message: `${cpu} is not a Fargate CPU size. Fix: use one of ${Object.keys(FARGATE_MEMORY).join(", ")}.`,
      },
    ];
  }
  return allowed.includes(memory)
    ? []
    : [
        {
          path: "service.memory",
          message: `${memory} MiB is not valid with ${cpu} CPU units on Fargate. Fix: use ${allowed[0]}..${allowed[allowed.length - 1]} MiB in steps of ${allowed.length > 1 ? allowed[1] - allowed[0] : allowed[0]}.`,
        },
      ];
};

export const scalingThresholdsOrdered: Rule = (c) => {
  const s = c.service.scaling;
  return (
    [
      ["cpuLowPercent", s.cpuLowPercent, "cpuHighPercent", s.cpuHighPercent],
      ["memoryLowPercent", s.memoryLowPercent, "memoryHighPercent", s.memoryHighPercent],
    ] as const
  )
    .filter(([, low, , high]) => low >= high)
    .map(([lowKey, low, highKey, high]) => ({
      path: `service.scaling.${lowKey}`,
      message: `${low} is not below service.scaling.${highKey} ${high}; scaling would flap. Fix: keep the scale-in threshold below the scale-out one (seed: 30/70 CPU, 40/80 memory).`,
    }));
};

/** An HTTPS listener needs a certificate, by the LoadBalancer construct's rule. */
export const httpsNeedsCertificate: Rule = (c) => httpsCertificateProblems(c.loadBalancer, inSection("loadBalancer"), c.region);

/**
 * An ACM certificate serves resources of its own partition, account and region only (CloudFront's come from
 * us-east-1): the one check of where a certificate lives, for the primary ALB, the standby's and
 * CloudFront. ACM user guide, "Supported Regions": certificates are regional, and CloudFront's must
 * be in US East (N. Virginia); AWS Security Blog, "How to deploy public ACM certificates across
 * multiple AWS accounts and Regions": a certificate is requested in each account that uses it.
 */
export function certificatePlaceProblems(
  path: string,
  certificateArn: string | undefined,
  place: { readonly accountId: string; readonly region: string },
  why: string,
): Problem[] {
  if (!certificateArn) return [];
  const [, partition, , region, account] = certificateArn.split(":");
  const problems: Problem[] = [];
  const expected = partitionOf(place.region);
  if (expected && partition !== expected) {
    problems.push({
      path,
      message: `"${certificateArn}" is an ARN of partition ${partition}, but ${place.region} is in partition ${expected}; a certificate serves resources of its own partition only. Fix: use the ARN of a certificate in ${place.region}, which begins "arn:${expected}:acm:${place.region}:".`,
    });
  }
  if (account !== place.accountId) {
    problems.push({
      path,
      message: `"${certificateArn}" belongs to account ${account}, not the environment's accountId ${place.accountId}; ALBs and CloudFront use certificates of their own account only. Fix: request or import the certificate in account ${place.accountId} and use its ARN.`,
    });
  }
  if (region !== place.region) {
    problems.push({ path, message: `is in region ${region}; ${why}. Fix: issue or import the certificate in ${place.region}.` });
  }
  return problems;
}

export const albCertificatePlace: Rule = (c) =>
  certificatePlaceProblems("loadBalancer.certificateArn", c.loadBalancer.certificateArn, c, `an ALB needs a certificate in its own region ${c.region}`);

/** A hop that carries the environment's traffic as plain HTTP, with the setting that encrypts it. */
export interface UnencryptedPath {
  /** The setting that would encrypt the hop. */
  readonly path: string;
  /** What is unencrypted, as a phrase. */
  readonly what: string;
  /** How to encrypt it. */
  readonly fix: string;
  /** Whether the hop crosses the internet: viewers' sign-ins ride it whether or not the data is real. */
  readonly internet: boolean;
}

/** Every hop of this environment that carries traffic as plain HTTP. */
export function unencryptedPaths(c: EnvironmentConfig): UnencryptedPath[] {
  const paths: UnencryptedPath[] = [];
  if (!c.loadBalancer.httpsEnabled) {
    paths.push(
      c.edge.cloudfront.enabled
        ? {
            path: "loadBalancer.httpsEnabled",
            what: "CloudFront reaches the ALB over plain HTTP (origin side)",
            fix: "set loadBalancer.httpsEnabled and loadBalancer.certificateArn, and edge.cloudfront.albOriginDomain (the name the certificate covers)",
            // The VPC origin carries it on AWS's network into the VPC, never the internet.
            internet: false,
          }
        : {
            path: "loadBalancer.httpsEnabled",
            what: "viewers reach the ALB over plain HTTP across the internet (no HTTPS listener)",
            fix: "set loadBalancer.httpsEnabled and loadBalancer.certificateArn",
            internet: true,
          },
    );
  }
  if (c.loadBalancer.targetProtocol === "HTTP") {
    paths.push({
      path: "loadBalancer.targetProtocol",
      what: "the ALB reaches the tasks over plain HTTP inside the VPC",
      fix: 'set loadBalancer.targetProtocol to "HTTPS" and serve TLS from the image (docs/operations.md)',
      internet: false,
    });
  }
  return paths;
}

/**
 * The hops acceptUnencryptedHttp accepts: every unencrypted hop where protectData is on, else the
 * ones that cross the internet (main.ts warns of each on every synthesis).
 */
export function acceptedUnencryptedPaths(c: EnvironmentConfig): UnencryptedPath[] {
  return unencryptedPaths(c).filter((p) => c.protectData || p.internet);
}

export const protectedDataEncryptedInTransit: Rule = (c) =>
  c.protectData && !c.acceptUnencryptedHttp
    ? unencryptedPaths(c).map((p) => ({
        path: p.path,
        message: `leaves a hop unencrypted while protectData is on: ${p.what}, carrying student data. Fix: ${p.fix}; or, for a demo without real data, set acceptUnencryptedHttp to true.`,
      }))
    : [];

/**
 * Plain HTTP across the internet only when accepted, in every environment: without student data a
 * sign-in and the pages still cross the internet readable and alterable (protected environments
 * answer to protectedDataEncryptedInTransit, which covers every hop).
 */
export const internetHttpAccepted: Rule = (c) =>
  c.protectData || c.acceptUnencryptedHttp
    ? []
    : acceptedUnencryptedPaths(c).map((p) => ({
        path: p.path,
        message: `is false, so ${p.what}: a sign-in and every page cross it readable and alterable, real data or not. Fix: set edge.cloudfront.enabled to true (CloudFront's HTTPS in front of an internal ALB, as the dev preset does), or ${p.fix}; or set acceptUnencryptedHttp to true to accept it knowingly (synthesis then warns on every run).`,
      }));

export const anonymousRateLimitIsTighter: Rule = (c) =>
  c.edge.waf.anonymousRateLimitPer5Minutes > c.edge.waf.rateLimitPer5Minutes
    ? [
        {
          path: "edge.waf.anonymousRateLimitPer5Minutes",
          message: `${c.edge.waf.anonymousRateLimitPer5Minutes} is above edge.waf.rateLimitPer5Minutes ${c.edge.waf.rateLimitPer5Minutes}: the per-IP limit would block those addresses first, and this limit would never act. Fix: set it at or below ${c.edge.waf.rateLimitPer5Minutes}.`,
        },
      ]
    : [];

export const cloudfrontNeedsStaticBucket: Rule = (c) =>
  c.edge.cloudfront.enabled && !c.storage.staticAssets
    ? [
        {
          path: "edge.cloudfront.enabled",
          message:
            "is true but storage.staticAssets is false; the distribution serves static paths from that bucket. Fix: set storage.staticAssets to true, or turn CloudFront off.",
        },
      ]
    : [];

export const cloudfrontCertificate: Rule = (c) => {
  const cf = c.edge.cloudfront;
  if (!cf.enabled) return [];
  const problems: Problem[] = [];
  if (!cf.certificateArn && !cf.acceptDefaultCertificate) {
    problems.push({
      path: "edge.cloudfront.certificateArn",
      message:
        "is required while CloudFront is on: the default *.cloudfront.net certificate lets viewers use TLS 1.0, below the seed's TLS 1.2 minimum. Fix: set edge.cloudfront.certificateArn (ACM, us-east-1) and edge.cloudfront.domainNames, or set edge.cloudfront.acceptDefaultCertificate to true to accept the default certificate knowingly.",
    });
  }
  problems.push(
    ...certificatePlaceProblems(
      "edge.cloudfront.certificateArn",
      cf.certificateArn,
      { accountId: c.accountId, region: GLOBAL_REGION },
      `CloudFront only uses ACM certificates from ${GLOBAL_REGION}`,
    ),
  );
  if (cf.certificateArn && cf.domainNames.length === 0) {
    problems.push({
      path: "edge.cloudfront.domainNames",
      message:
        "is empty while certificateArn is set; the certificate serves the distribution's custom domains. Fix: list the domain names the certificate covers.",
    });
  }
  if (!cf.certificateArn && cf.domainNames.length > 0) {
    problems.push({
      path: "edge.cloudfront.domainNames",
      message: `are ${JSON.stringify(cf.domainNames)} without edge.cloudfront.certificateArn; CloudFront needs a certificate for custom domains. Fix: set the certificate ARN or remove the domain names.`,
    });
  }
  problems.push(...albOriginProblems(c.loadBalancer.httpsEnabled, cf.albOriginDomain, inSection("edge.cloudfront")));
  return problems;
};
