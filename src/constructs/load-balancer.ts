import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { LoadBalancerConfig } from "../config/schema";
import { loadBalancerName, type NameContext, PRIMARY_ID, replacementSafeName, resourceName } from "../config/naming";
import { suppress } from "../policy/checks";
import type { Metric } from "./metric";
import type { Network } from "./network";
import { SecurityGroup } from "./security-group";

/** TLS 1.3 with TLS 1.2 as the floor. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The tasks register by IP address (Fargate's awsvpc networking). */
const TARGET_TYPE = "ip";

/** The target group's health check: a new task serves after healthyThreshold checks intervalSeconds apart. */
export const LOAD_BALANCER_HEALTH = { intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 } as const;

/**
 * The load balancer settings an ALB is built from (config/schema.ts describes each); its
 * certificate is the region's, so it comes separately (the standby's is dr.certificateArn).
 */
export const LOAD_BALANCER_SETTINGS = [
  "ingressCidrs",
  "httpsEnabled",
  "targetProtocol",
  "idleTimeoutSeconds",
  "deregistrationDelaySeconds",
] as const satisfies readonly (keyof LoadBalancerConfig)[];

/**
 * The load balancer's input rule, which the settings validation reports for the primary ALB
 * (loadBalancer.*) and the standby's (dr.certificateArn): an HTTPS listener needs a certificate.
 */
export function httpsCertificateProblems(
  lb: { readonly httpsEnabled: boolean; readonly certificateArn?: string },
  at: NameOf = asProps,
  region?: string,
): Problem[] {
  const where = region ? `in ${region}` : "of the ALB's region";
  return lb.httpsEnabled && !lb.certificateArn
    ? [
        {
          path: at("certificateArn"),
          message: `is required when ${at("httpsEnabled")} is true. Fix: set it to an ACM certificate ARN ${where}, or set ${at("httpsEnabled")} to false.`,
        },
      ]
    : [];
}

export interface LoadBalancerProps extends Readonly<Pick<LoadBalancerConfig, (typeof LOAD_BALANCER_SETTINGS)[number]>> {
  /** ACM certificate in the ALB's region; required with httpsEnabled. @default none */
  readonly certificateArn?: string;
  /** The app's port and health endpoint on the tasks. */
  readonly target: { readonly port: number; readonly healthCheckPath: string };
  readonly network: Network;
  /** Deletion protection on the ALB. */
  readonly protectData: boolean;
  /** Where access logs go, and the policy that lets the ELB service write there. */
  readonly accessLogs: { readonly bucket: S3Bucket; readonly policy: S3BucketPolicy; readonly prefix: string };
  /**
   * Internal ALB in the private subnets, reached only through a CloudFront VPC origin, whose
   * network interfaces live in this VPC: the only ingress is the listener port from the VPC's
   * CIDR, and there is no port-80 redirect when HTTPS is on. @default false (internet-facing)
   */
  readonly internal?: boolean;
  readonly names: NameContext;
}

/**
 * The ALB (seed "Application Load Balancer"): internet-facing with HTTP on 80 and HTTPS on 443
 * with a certificate (then 80 redirects), or internal behind CloudFront; one target group of
 * Fargate task IPs on 8501 with Streamlit's health check and sticky sessions.
 */
export class LoadBalancer extends Construct {
  public readonly alb: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly securityGroup: SecurityGroup;
  /** The listener that forwards to the app: HTTPS when configured, else HTTP. */
  public readonly appListener: LbListener;
  public readonly listeners: LbListener[];
  /** Whether the ALB is internal (behind a CloudFront VPC origin). */
  public readonly internal: boolean;
  /** Whether the ALB serves HTTPS (with the configured certificate). */
  public readonly https: boolean;
  /** Protocol of the hop to the tasks; the tasks serve TLS when HTTPS. */
  public readonly targetProtocol: "HTTP" | "HTTPS";
  /** The names its resources (and a CloudFront VPC origin of it) are named by. */
  public readonly names: NameContext;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { names } = props;
    this.names = names;
    refuseInputs(this.node.path, httpsCertificateProblems(props));
    this.internal = props.internal ?? false;
    this.https = props.httpsEnabled;
    this.targetProtocol = props.targetProtocol;
    this.securityGroup = this.securityGroupOf(props);
    this.alb = new Lb(this, PRIMARY_ID, {
      name: loadBalancerName(names),
      loadBalancerType: "application",
      internal: this.internal,
      subnets: this.internal ? props.network.privateSubnetIds : props.network.publicSubnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      // Above Streamlit's websocket ping, so idle sessions are not cut.
      idleTimeout: props.idleTimeoutSeconds,
      enableDeletionProtection: props.protectData,
      accessLogs: { bucket: props.accessLogs.bucket.id, prefix: props.accessLogs.prefix, enabled: true },
      tags: { Name: loadBalancerName(names) },
      // The ELB service checks write access to the bucket when logging is enabled.
      dependsOn: [props.accessLogs.policy],
    });
    this.securityGroup.usedBy(this.alb);

    // A new protocol or port replaces the target group (HTTP to HTTPS is the documented way to
    // real data), and AWS deletes no target group a listener still forwards to: the new one is
    // created first and the listener moved to it. Target groups take a name prefix of 6
    // characters only, so the name carries a hash of the arguments that force a replacement. Its
    // three characters take the place of the ALB name's "alb" (AWS allows 32 characters for
    // both): whatever ALB name AWS accepts, the target group's fits (smh-dashboard-prod-0f2).
    const targetGroupName = replacementSafeName(`${names.project}-${names.environment}`, [props.target.port, this.targetProtocol, TARGET_TYPE], 3);
    this.targetGroup = new LbTargetGroup(this, "app", {
      name: targetGroupName,
      port: props.target.port,
      protocol: this.targetProtocol,
      targetType: TARGET_TYPE,
      vpcId: props.network.vpc.id,
      deregistrationDelay: String(props.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: props.target.healthCheckPath,
        protocol: this.targetProtocol,
        matcher: "200",
        interval: LOAD_BALANCER_HEALTH.intervalSeconds,
        timeout: LOAD_BALANCER_HEALTH.timeoutSeconds,
        healthyThreshold: LOAD_BALANCER_HEALTH.healthyThreshold,
        unhealthyThreshold: LOAD_BALANCER_HEALTH.unhealthyThreshold,
      },
      // Streamlit keeps per-session state in the process; uploads break across replicas.
      stickiness: { type: "lb_cookie", enabled: true, cookieDuration: 86400 },
      tags: { Name: targetGroupName },
      lifecycle: { createBeforeDestroy: true },
    });
    suppress(
      this.targetGroup,
      "AWS-2",
      "the name carries a hash of every argument that forces a new target group (port, protocol, target type), so the replacement created first has a name of its own",
    );
    [this.appListener, this.listeners] = this.listenersOf(props);
  }

  /**
   * The ALB's security group, open only on its listeners' ports: the one listener's from the
   * VPC's CIDR when internal, else 80 from ingressCidrs, and 443 too when there is an HTTPS listener.
   */
  private securityGroupOf(props: LoadBalancerProps): SecurityGroup {
    const group = new SecurityGroup(this, "security-group", {
      network: props.network,
      // The internal ALB's group is named apart from the internet-facing one's in the console.
      name: resourceName(props.names, this.internal ? "alb-internal" : "alb"),
      label: "alb",
      members: "the ALB",
      description: this.internal ? "Internal ALB of the dashboard, behind a CloudFront VPC origin" : "Internet-facing ALB of the dashboard",
    });
    if (this.internal) {
      // CloudFront's VPC-origin interfaces take addresses in this VPC; their security group is
      // created by CloudFront after the origin exists, so the VPC CIDR is the narrowest source
      // known when planning. The ALB has no route from the internet.
      const port = this.https ? 443 : 80;
      group.allowIn("vpc-origin-in", {
        port,
        cidr: props.network.vpc.cidrBlock,
        description: `${this.https ? "HTTPS" : "HTTP"} from the CloudFront VPC origin`,
      });
    } else {
      props.ingressCidrs.forEach((cidr, i) => {
        const suffix = props.ingressCidrs.length > 1 ? `-${i + 1}` : "";
        group.allowIn(`http-in${suffix}`, { port: 80, cidr, description: `HTTP from ${cidr}` });
        // Without a certificate nothing listens on 443.
        if (this.https) group.allowIn(`https-in${suffix}`, { port: 443, cidr, description: `HTTPS from ${cidr}` });
      });
    }
    return group;
  }

  /** The listener that forwards to the app, and every listener (with HTTPS, port 80 redirects). */
  private listenersOf(props: LoadBalancerProps): [LbListener, LbListener[]] {
    const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];
    if (!this.https) {
      const http = new LbListener(this, "http", { loadBalancerArn: this.alb.arn, port: 80, protocol: "HTTP", defaultAction: forward });
      return [http, [http]];
    }
    const https = new LbListener(this, "https", {
      loadBalancerArn: this.alb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: forward,
    });
    // Browsers reach an internet-facing ALB on 80 first; CloudFront only ever uses 443.
    if (this.internal) return [https, [https]];
    const http = new LbListener(this, "http", {
      loadBalancerArn: this.alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
    });
    return [https, [http, https]];
  }

  /** A metric of the load balancer as a whole, e.g. `RequestCount`, `HTTPCode_ELB_5XX_Count`. */
  metric(metricName: string): Metric {
    return { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: this.alb.arnSuffix } };
  }

  /** A metric of the app's target group, e.g. `TargetResponseTime`, `UnHealthyHostCount`. */
  metricTargets(metricName: string): Metric {
    return {
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions: { LoadBalancer: this.alb.arnSuffix, TargetGroup: this.targetGroup.arnSuffix },
    };
  }
}
