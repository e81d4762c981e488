import { CloudfrontCachePolicy } from "@cdktf/provider-aws/lib/cloudfront-cache-policy";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { CloudfrontVpcOrigin } from "@cdktf/provider-aws/lib/cloudfront-vpc-origin";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { EdgeConfig } from "../config/schema";
import { distributionComment, loadBalancerName, PRIMARY_ID, resourceName } from "../config/naming";
import { arn, type DeploymentContext } from "./context";
import type { LoadBalancer } from "./load-balancer";
import type { SecureBucket } from "./secure-bucket";
import { GLOBAL_REGION } from "./providers";

/** AWS managed CloudFront policies, by their documented ids. */
export const MANAGED_POLICY = {
  /** Cache policy: no caching (seed "API/dynamic: No caching"). */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /**
   * Origin request policy: every viewer header, cookie and query string except Host, so the ALB
   * sees its own name (required for an HTTPS origin) and Streamlit's websocket headers and the
   * ALB stickiness cookie pass through.
   */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

/** Prefix of CloudFront access logs in the logs bucket. */
export const CLOUDFRONT_LOG_PREFIX = "cloudfront";

/** Viewer TLS floor with a custom certificate (seed: TLS 1.2 minimum). */
export const VIEWER_TLS_POLICY = "TLSv1.2_2021";

/** Status codes of the primary origin on which CloudFront retries the standby. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];

/**
 * Streamlit's only request that is not GET/HEAD/OPTIONS (file uploads, PUT): CloudFront refuses
 * other methods on a behaviour whose target is an origin group, so uploads go to the primary
 * ALB alone and fail over only when the runbook moves traffic (docs/disaster-recovery.md).
 */
export const STREAMLIT_UPLOAD_PATH = "/_stcore/upload_file/*";

/**
 * The viewer-request function that makes both regions serve (dr.mode "serving"): a viewer whose
 * address hashes below `sharePercent` (of 100) starts at the standby, every other viewer at the
 * primary, so a viewer's requests, websocket and uploads stay in one region. Reads
 * (GET/HEAD/OPTIONS) go to an origin group of the viewer's region first and the other region on
 * failure, made per request (CloudFront Functions' `cf.createRequestOriginGroup`); other methods
 * (uploads) go to the viewer's region alone, as origin groups take no other methods
 * (CloudFront Developer Guide, "Helper methods for origin modification").
 */
export function standbyShareCode(sharePercent: number): string {
  if (!Number.isInteger(sharePercent) || sharePercent < 0 || sharePercent > 100) {
    throw new Error(`sharePercent ${sharePercent} is not a whole percentage. Fix: use 0-100.`);
  }
  return [
    "import cf from 'cloudfront';",
    "",
    `var SHARE = ${sharePercent};`,
    `var FAILOVER = ${JSON.stringify(FAILOVER_STATUS_CODES)};`,
    "",
    "function handler(event) {",
    "  var ip = event.viewer.ip;",
    "  var bucket = 0;",
    "  for (var i = 0; i < ip.length; i++) bucket = (bucket * 31 + ip.charCodeAt(i)) % 100;",
    "  if (bucket >= SHARE) return event.request;",
    "  var method = event.request.method;",
    "  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {",
    "    cf.createRequestOriginGroup({ originIds: ['alb-standby', 'alb'], failoverCriteria: { statusCodes: FAILOVER } });",
    "  } else {",
    "    cf.selectRequestOriginById('alb-standby');",
    "  }",
    "  return event.request;",
    "}",
    "",
  ].join("\n");
}

/**
 * CloudFront's private way into an internal ALB (a VPC origin: CloudFront-managed network
 * interfaces in the ALB's VPC), over HTTPS when the ALB serves it, else HTTP.
 */
export function albVpcOrigin(scope: Construct, id: string, alb: LoadBalancer): CloudfrontVpcOrigin {
  if (!alb.internal) {
    throw new Error(
      `${scope.node.path}: the load balancer ${alb.node.path} is internet-facing; CloudFront reaches the ALB through a VPC origin, which needs an internal ALB. Fix: create the LoadBalancer with internal: true.`,
    );
  }
  const name = loadBalancerName(alb.names);
  return new CloudfrontVpcOrigin(scope, id, {
    vpcOriginEndpointConfig: [
      {
        name,
        arn: alb.alb.arn,
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: alb.https ? "https-only" : "http-only",
        originSslProtocols: [{ items: ["TLSv1.2"], quantity: 1 }],
      },
    ],
    tags: { Name: name },
  });
}

/** A standby ALB that CloudFront reaches through a VPC origin of its own. */
export interface FailoverOrigin {
  /** Id of the standby's CloudFront VPC origin. */
  readonly vpcOriginId: string;
  /** The standby ALB's DNS name, or with HTTPS the name its certificate covers. */
  readonly domainName: string;
}

/**
 * The CloudFront settings the distribution is built from (config/schema.ts describes each):
 * without certificateArn it serves on the *.cloudfront.net certificate, without albOriginDomain
 * it reaches the ALB by its DNS name (HTTP only); empty allowedCountries allows every country.
 */
export const EDGE_SETTINGS = [
  "domainNames",
  "certificateArn",
  "albOriginDomain",
  "staticPathPatterns",
  "staticDefaultTtlSeconds",
  "priceClass",
  "contentSecurityPolicy",
  "allowedCountries",
] as const satisfies readonly (keyof EdgeConfig["cloudfront"])[];

/**
 * The distribution's input rule, which the settings validation reports too
 * (edge.cloudfront.albOriginDomain): in front of an HTTPS ALB, CloudFront needs the name in the
 * ALB's certificate to connect to.
 */
export function albOriginProblems(albServesHttps: boolean, albOriginDomain: string | undefined, at: NameOf = asProps): Problem[] {
  return albServesHttps && !albOriginDomain
    ? [
        {
          path: at("albOriginDomain"),
          message:
            "is required when CloudFront is on and the ALB serves HTTPS: CloudFront checks the ALB's certificate against the origin's name. Fix: set it to the name in the ALB's certificate that resolves to the ALB.",
        },
      ]
    : [];
}

export interface EdgeProps extends Readonly<Pick<EdgeConfig["cloudfront"], (typeof EDGE_SETTINGS)[number]>> {
  /**
   * The internal ALB, reached through a VPC origin: over HTTPS to albOriginDomain when it
   * has a certificate, else over HTTP.
   */
  readonly loadBalancer: LoadBalancer;
  readonly staticAssets: SecureBucket;
  /** Access logs: the logs bucket (SSE-S3). */
  readonly logs: SecureBucket;
  /**
   * The standby ALB in the DR region (its own CloudFront VPC origin, created by the DR stack):
   * with it, an origin group sends each GET/HEAD/OPTIONS request to the primary ALB first and
   * to the standby on 5xx or when the primary cannot be reached. @default no failover
   */
  readonly failoverOrigin?: FailoverOrigin;
  /**
   * Percent of viewers that start at the standby (both regions serving, `standbyShareCode`);
   * needs failoverOrigin. @default 0 (the standby only takes over on failure)
   */
  readonly standbyTrafficPercent?: number;
  /** Web ACL (CLOUDFRONT scope) to attach. @default none */
  readonly webAclArn?: string;
  /** us-east-1 provider, where CloudFront's log source must live. */
  readonly globalProvider: AwsProvider;
  readonly context: DeploymentContext;
}

/**
 * The CloudFront distribution of the seed: static paths from the private static bucket through
 * origin access control, cached for an hour; everything else to the ALB uncached, with every
 * method, header, cookie and query string, so Streamlit's websockets and sessions work.
 */
export class Edge extends Construct {
  public readonly distribution: CloudfrontDistribution;
  /** CloudFront's private path to the internal ALB. */
  public readonly vpcOrigin: CloudfrontVpcOrigin;
  /**
   * The response headers of every behaviour: the headers of AWS's managed SecurityHeadersPolicy
   * (HSTS two years with subdomains and preload, nosniff, DENY framing, strict-origin-when-cross-
   * origin referrers, XSS protection) plus the configured Content-Security-Policy.
   */
  public readonly securityHeaders: CloudfrontResponseHeadersPolicy;
  /** The function that sends a share of the viewers to the standby first, when both regions serve. */
  public readonly standbyShare?: CloudfrontFunction;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const alb = props.loadBalancer;
    refuseInputs(this.node.path, albOriginProblems(alb.https, props.albOriginDomain));
    const share = props.standbyTrafficPercent ?? 0;
    if (share > 0 && !props.failoverOrigin) {
      throw new Error(
        `${this.node.path}: standbyTrafficPercent ${share} needs failoverOrigin, the standby ALB's VPC origin. Fix: set the failover origin, or 0.`,
      );
    }
    const names = props.context.names;
    this.securityHeaders = new CloudfrontResponseHeadersPolicy(this, "security-headers", {
      name: resourceName(names, "security-headers"),
      comment: "HSTS, nosniff, frame, referrer and XSS headers, and the dashboard's Content-Security-Policy",
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true },
      },
    });
    this.vpcOrigin = albVpcOrigin(this, "alb-origin", alb);
    if (share > 0) {
      this.standbyShare = new CloudfrontFunction(this, "standby-share", {
        name: resourceName(names, "standby-share"),
        runtime: "cloudfront-js-2.0",
        comment: `${share}% of viewers start at the standby region`,
        code: standbyShareCode(share),
        publish: true,
      });
    }
    this.distribution = this.createDistribution(props);
    props.staticAssets.addPolicyStatements({
      sid: "CloudFrontReadsStaticAssets",
      effect: "Allow",
      actions: ["s3:GetObject"],
      principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
      resources: [`${props.staticAssets.bucket.arn}/*`],
      condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [this.distribution.arn] }],
    });
    this.accessLogs(props);
  }

  /** The distribution: the app's requests to the ALB (or its failover group), static paths to the bucket. */
  private createDistribution(props: EdgeProps): CloudfrontDistribution {
    const names = props.context.names;
    const alb = props.loadBalancer;
    const failover = props.failoverOrigin;
    // The app's requests: uncached, every viewer header, cookie and query string to the ALB.
    const appBehavior = {
      viewerProtocolPolicy: "redirect-to-https",
      cachedMethods: ["GET", "HEAD"],
      cachePolicyId: MANAGED_POLICY.cachingDisabled,
      originRequestPolicyId: MANAGED_POLICY.allViewerExceptHostHeader,
      responseHeadersPolicyId: this.securityHeaders.id,
      compress: true,
      ...(this.standbyShare ? { functionAssociation: [{ eventType: "viewer-request", functionArn: this.standbyShare.arn }] } : {}),
    };
    return new CloudfrontDistribution(this, PRIMARY_ID, {
      enabled: true,
      comment: distributionComment(names),
      aliases: props.domainNames.length > 0 ? props.domainNames : undefined,
      priceClass: props.priceClass,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      webAclId: props.webAclArn,
      origin: [
        this.staticOrigin(props),
        {
          originId: "alb",
          domainName: alb.https && props.albOriginDomain ? props.albOriginDomain : alb.alb.dnsName,
          vpcOriginConfig: { vpcOriginId: this.vpcOrigin.id, originReadTimeout: 60, originKeepaliveTimeout: 60 },
          // With a standby, give up on an unreachable primary after 2 x 5 s instead of 3 x 10 s.
          ...(failover ? { connectionAttempts: 2, connectionTimeout: 5 } : {}),
        },
        ...(failover
          ? [
              {
                originId: "alb-standby",
                domainName: failover.domainName,
                vpcOriginConfig: { vpcOriginId: failover.vpcOriginId, originReadTimeout: 60, originKeepaliveTimeout: 60 },
              },
            ]
          : []),
      ],
      originGroup: failover
        ? [
            {
              originId: "alb-failover",
              failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
              member: [{ originId: "alb" }, { originId: "alb-standby" }],
            },
          ]
        : undefined,
      defaultCacheBehavior: {
        ...appBehavior,
        targetOriginId: failover ? "alb-failover" : "alb",
        // An origin group takes only the methods it can retry.
        allowedMethods: failover ? ["GET", "HEAD", "OPTIONS"] : ALL_METHODS,
      },
      orderedCacheBehavior: [
        ...(failover ? [{ ...appBehavior, pathPattern: STREAMLIT_UPLOAD_PATH, targetOriginId: "alb", allowedMethods: ALL_METHODS }] : []),
        ...this.staticBehaviors(props),
      ],
      restrictions: {
        geoRestriction:
          props.allowedCountries.length > 0 ? { restrictionType: "whitelist", locations: [...props.allowedCountries] } : { restrictionType: "none" },
      },
      viewerCertificate: props.certificateArn
        ? { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: VIEWER_TLS_POLICY }
        : { cloudfrontDefaultCertificate: true },
      tags: { Name: distributionComment(names) },
    });
  }

  /** The static bucket as an origin, read with origin access control. */
  private staticOrigin(props: EdgeProps) {
    const originAccess = new CloudfrontOriginAccessControl(this, "static-access", {
      name: resourceName(props.context.names, "static"),
      description: "CloudFront reads the static assets bucket",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    return { originId: "static", domainName: props.staticAssets.bucket.bucketRegionalDomainName, originAccessControlId: originAccess.id };
  }

  /** One cached behaviour per static path pattern, from the static bucket. */
  private staticBehaviors(props: EdgeProps) {
    const staticCache = new CloudfrontCachePolicy(this, "static-cache", {
      name: resourceName(props.context.names, "static"),
      comment: "Static assets: 1 hour by default (seed)",
      defaultTtl: props.staticDefaultTtlSeconds,
      maxTtl: Math.max(86400, props.staticDefaultTtlSeconds),
      minTtl: 0,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior: "none" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    });
    return props.staticPathPatterns.map((pathPattern) => ({
      pathPattern,
      targetOriginId: "static",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD", "OPTIONS"],
      cachedMethods: ["GET", "HEAD"],
      cachePolicyId: staticCache.id,
      responseHeadersPolicyId: this.securityHeaders.id,
      compress: true,
    }));
  }

  /**
   * Standard logging v2 (CloudWatch vended logs) to the logs bucket: the legacy logging needs
   * bucket ACLs, which every bucket here disables. The log source lives in us-east-1.
   */
  private accessLogs(props: EdgeProps): void {
    const names = props.context.names;
    const provider = props.globalProvider;
    const source = new CloudwatchLogDeliverySource(this, "log-source", {
      provider,
      name: resourceName(names, "cloudfront"),
      logType: "ACCESS_LOGS",
      resourceArn: this.distribution.arn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, "log-destination", {
      provider,
      name: resourceName(names, "cloudfront-s3"),
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: `${props.logs.bucket.arn}/${CLOUDFRONT_LOG_PREFIX}` }],
    });
    props.logs.addPolicyStatements({
      sid: "CloudFrontLogDelivery",
      effect: "Allow",
      actions: ["s3:PutObject"],
      principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
      resources: [`${props.logs.bucket.arn}/${CLOUDFRONT_LOG_PREFIX}/*`],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [props.context.accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [arn(props.context, { service: "logs", region: GLOBAL_REGION, resource: "delivery-source:*" })] },
      ],
    });
    new CloudwatchLogDelivery(this, "log-delivery", {
      provider,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      dependsOn: [props.logs.policy],
    });
  }
}
