/**
 * docs/import.md's table: the resources a team may already have, at the address each synthesized
 * stack gives them, with the import ID the AWS provider (5.x) documents for the type, filled in
 * from the stack's own names, region and account where the configuration knows them.
 */
import type { DeploymentSettings } from "../../../src/validation";
import { resolveDeployment } from "../../../src/validation/deployment";
import { deployOrder } from "../../../src/stacks/app";
import { cachedStacks } from "../../../src/synth/cache";

type Body = Record<string, any>;

/** Where a stack's resources live: its provider's region and account. */
interface Place {
  readonly region: string;
  readonly account: string;
}

/** The AWS provider's import ID of one resource type, from the resource's configuration, or how to look up an ID AWS assigns. */
interface ImportId {
  readonly type: string;
  readonly id: (body: Body, place: Place, stack: Record<string, any>, name: string) => string;
}

const tagName = (body: Body) => body.tags?.Name as string | undefined;

/** The alias the stack gives a key, so that the reader can look its ID up. */
function keyAlias(stack: Record<string, any>, name: string): string | undefined {
  return Object.values<Body>(stack.resource?.aws_kms_alias ?? {}).find((alias) => String(alias.target_key_id).includes(`aws_kms_key.${name}.`))?.name;
}

/** The importable types, in the order the document lists them. */
export const IMPORT_IDS: readonly ImportId[] = [
  { type: "aws_vpc", id: (b) => `VPC ID \`vpc-…\` (\`aws ec2 describe-vpcs --filters Name=tag:Name,Values=${tagName(b)}\`)` },
  { type: "aws_subnet", id: (b) => `subnet ID \`subnet-…\` (\`aws ec2 describe-subnets --filters Name=tag:Name,Values=${tagName(b)}\`)` },
  { type: "aws_s3_bucket", id: (b) => `\`${b.bucket}\`` },
  {
    type: "aws_kms_key",
    id: (_b, _p, stack, name) => {
      const alias = keyAlias(stack, name);
      return alias ? `key ID (\`aws kms describe-key --key-id ${alias} --query KeyMetadata.KeyId\`)` : "key ID";
    },
  },
  { type: "aws_kms_alias", id: (b) => `\`${b.name}\`` },
  { type: "aws_ecr_repository", id: (b) => `\`${b.name}\`` },
  { type: "aws_cloudwatch_log_group", id: (b) => `\`${b.name}\`` },
  { type: "aws_db_instance", id: (b) => `\`${b.identifier}\`` },
  { type: "aws_sns_topic", id: (b, p) => `\`arn:aws:sns:${p.region}:${p.account}:${b.name}\`` },
  { type: "aws_guardduty_detector", id: () => "detector ID (`aws guardduty list-detectors`)" },
  { type: "aws_securityhub_account", id: (_b, p) => `\`${p.account}\`` },
  { type: "aws_config_configuration_recorder", id: (b) => `\`${b.name}\`` },
  { type: "aws_config_delivery_channel", id: (b) => `\`${b.name}\`` },
  { type: "aws_cloudtrail", id: (b, p) => `\`arn:aws:cloudtrail:${p.region}:${p.account}:trail/${b.name}\`` },
  { type: "aws_iam_openid_connect_provider", id: (b, p) => `\`arn:aws:iam::${p.account}:oidc-provider/${String(b.url).replace(/^https:\/\//, "")}\`` },
];

/** The table of every importable resource of the stacks `settings` deploy, stack by stack in deploy order. */
export function importReference(settings: DeploymentSettings): string {
  const names = deployOrder(resolveDeployment([settings])).map((step) => step.stack);
  const stacks = cachedStacks([settings], names);
  const rows: string[] = [];
  for (const stackName of names) {
    const stack = JSON.parse(stacks.get(stackName)!);
    const providers: Body[] = stack.provider.aws;
    for (const { type, id } of IMPORT_IDS) {
      for (const [name, body] of Object.entries<Body>(stack.resource?.[type] ?? {})) {
        const alias = typeof body.provider === "string" ? body.provider.replace(/^aws\.?/, "") : "";
        const provider = providers.find((p) => (p.alias ?? "") === alias)!;
        const place = { region: provider.region, account: provider.allowed_account_ids[0] };
        rows.push(
          `| \`${stackName}\` | \`${type}.${name}\`${alias ? ` (\`provider = aws.${alias}\`)` : ""} | ${place.region} | ${id(body, place, stack, name)} |`,
        );
      }
    }
  }
  return ["| Stack | Address | Region | Import ID |", "|---|---|---|---|", ...rows].join("\n");
}
