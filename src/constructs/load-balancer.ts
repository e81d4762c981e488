import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import type { LoadBalancerConfig, ServiceConfig } from "../config";
import { type NameContext, PRIMARY_ID, resourceName } from "../naming";
import type { Network } from "./network";
import { Firewall } from "./security-groups";

/** TLS 1.3 with TLS 1.2 as the floor. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerProps {
  readonly config: LoadBalancerConfig;
  /** Port, health path of the app. */
  readonly service: Pick<ServiceConfig, "containerPort" | "healthCheckPath">;
  readonly network: Network;
  /** Deletion protection on the ALB. */
  readonly protectData: boolean;
  /** Where access logs go, and the policy that lets the ELB service write there. */
  readonly accessLogs: { readonly bucket: S3Bucket; readonly policy: S3BucketPolicy; readonly prefix: string };
  /**
   * CloudFront's origin-facing prefix list: when set, the ALB accepts only CloudFront, on the one
   * port CloudFront uses, instead of config.ingressCidrs. @default not behind CloudFront
   */
  readonly cloudfrontPrefixListId?: string;
  readonly names: NameContext;
}

/**
 * The internet-facing ALB (seed "Application Load Balancer"): HTTP on 80, HTTPS on 443 with a
 * certificate (then 80 redirects), one target group of Fargate task IPs on 8501 with Streamlit's
 * health check and sticky sessions.
 */
export class LoadBalancer extends Construct {
  public readonly alb: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly firewall: Firewall;
  /** The listener that forwards to the app: HTTPS when configured, else HTTP. */
  public readonly appListener: LbListener;
  public readonly listeners: LbListener[];

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { config, names } = props;

    this.firewall = new Firewall(this, "security-group", {
      network: props.network,
      names,
      role: "alb",
      description: "Internet-facing ALB of the dashboard",
    });
    const https = config.httpsEnabled && config.certificateArn !== undefined;
    if (props.cloudfrontPrefixListId) {
      // Viewers cannot bypass CloudFront. One port only: the prefix list counts as ~55 rules
      // against the security group's quota of 60.
      const port = https ? 443 : 80;
      this.firewall.allowIn("cloudfront-in", {
        port,
        peer: { prefixListId: props.cloudfrontPrefixListId },
        description: `${https ? "HTTPS" : "HTTP"} from CloudFront only`,
      });
    } else {
      config.ingressCidrs.forEach((cidr, i) => {
        const suffix = config.ingressCidrs.length > 1 ? `-${i + 1}` : "";
        this.firewall.allowIn(`http-in${suffix}`, { port: 80, peer: { cidr }, description: `HTTP from ${cidr}` });
        this.firewall.allowIn(`https-in${suffix}`, { port: 443, peer: { cidr }, description: `HTTPS from ${cidr}` });
      });
    }

    this.alb = new Lb(this, PRIMARY_ID, {
      name: resourceName(names, "alb"),
      loadBalancerType: "application",
      internal: false,
      subnets: props.network.publicSubnetIds,
      securityGroups: [this.firewall.group.id],
      dropInvalidHeaderFields: true,
      // Above Streamlit's websocket ping, so idle sessions are not cut.
      idleTimeout: config.idleTimeoutSeconds,
      enableDeletionProtection: props.protectData,
      accessLogs: { bucket: props.accessLogs.bucket.id, prefix: props.accessLogs.prefix, enabled: true },
      tags: { Name: resourceName(names, "alb") },
      // The ELB service checks write access to the bucket when logging is enabled.
      dependsOn: [props.accessLogs.policy],
    });

    this.targetGroup = new LbTargetGroup(this, "app", {
      name: resourceName(names, "app"),
      port: props.service.containerPort,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: props.network.vpc.id,
      deregistrationDelay: String(config.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: props.service.healthCheckPath,
        protocol: "HTTP",
        matcher: "200",
        interval: 30,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      // Streamlit keeps per-session state in the process; uploads break across replicas.
      stickiness: { type: "lb_cookie", enabled: true, cookieDuration: 86400 },
      tags: { Name: resourceName(names, "app") },
    });

    const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];
    if (https && config.certificateArn) {
      const https = new LbListener(this, "https", {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: config.certificateArn,
        defaultAction: forward,
      });
      const http = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
      });
      this.appListener = https;
      this.listeners = [http, https];
    } else {
      this.appListener = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: forward,
      });
      this.listeners = [this.appListener];
    }
  }
}
