import { Testing } from "cdktf";
import { DEPLOY_ROLE_VARIABLE } from "../src/config/naming";
import { DeployRole, Providers } from "../src/constructs/providers";
import { NamedStack } from "../src/stacks/named-stack";
import { synthEnvironment, type TerraformJson } from "./helpers";

describe("Providers", () => {
  const { json } = synthEnvironment("prod", { tags: { CostCenter: "wellbeing" } });
  const [primary, dr] = json.provider.aws;

  test("the primary provider is in us-east-1 and refuses any account but the configured one", () => {
    expect(primary).toMatchObject({ region: "us-east-1", allowed_account_ids: ["123456789012"] });
    expect(primary.alias).toBeUndefined();
  });

  test("an aliased provider serves the DR region", () => {
    expect(dr).toMatchObject({ alias: "dr", region: "us-west-2", allowed_account_ids: ["123456789012"] });
  });

  test("both tag every resource with project, environment, owner tool and data classification", () => {
    for (const provider of [primary, dr]) {
      expect(provider.default_tags).toEqual([
        {
          tags: {
            Project: "smh-dashboard",
            Environment: "prod",
            ManagedBy: "cdktf",
            DataClassification: "confidential-phi",
            CostCenter: "wellbeing",
          },
        },
      ]);
    }
  });
});

describe("Providers with a deploy role (DeployRole), alone in a stack", () => {
  const ROLE = "arn:aws:iam::111111111111:role/terraform-deploy";
  const synth = (deployRole: boolean): TerraformJson => {
    const stack = new NamedStack(Testing.app(), "test");
    new Providers(stack, "aws", {
      accountId: "111111111111",
      deployRole: deployRole ? new DeployRole(stack, DEPLOY_ROLE_VARIABLE, { roleArn: ROLE }) : undefined,
      region: "eu-west-1",
      drRegion: "us-west-2",
      tags: {},
    });
    return JSON.parse(Testing.synth(stack));
  };

  test("GIVEN a deploy role WHEN synthesized THEN the stack declares deploy_role_arn, a non-null string defaulting to the role, described for the pipeline", () => {
    expect(synth(true).variable).toEqual({
      deploy_role_arn: {
        type: "string",
        nullable: false,
        default: ROLE,
        description: expect.stringMatching(/deployRoleArn.*The pipeline \(docs\/ci\) sets it to "": its OIDC role is already in the account/),
      },
    });
  });

  test('GIVEN a deploy role WHEN synthesized THEN the primary, dr and global providers each assume it through a dynamic block that is empty when the variable is ""', () => {
    const providers = synth(true).provider.aws;
    expect(providers.map((p) => p.alias ?? "primary")).toEqual(["primary", "dr", "global"]);
    for (const provider of providers) {
      expect({ alias: provider.alias, assume: provider.assume_role, dynamic: provider.dynamic }).toEqual({
        alias: provider.alias,
        assume: undefined,
        dynamic: {
          assume_role: { for_each: '${var.deploy_role_arn == "" ? [] : [var.deploy_role_arn]}', content: { role_arn: "${assume_role.value}" } },
        },
      });
    }
  });

  test("GIVEN no deploy role WHEN synthesized THEN no provider assumes a role and the stack declares no variable", () => {
    const json = synth(false);
    expect(json.variable).toBeUndefined();
    for (const provider of json.provider.aws)
      expect({ alias: provider.alias, dynamic: provider.dynamic, assume: provider.assume_role }).toEqual({ alias: provider.alias });
  });
});
