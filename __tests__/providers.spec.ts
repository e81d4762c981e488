import { synthEnvironment } from "./helpers";

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
