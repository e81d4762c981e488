import { synthEnvironment } from "./helpers";

describe("remote state (backend.ts)", () => {
  test("S3 backend in the DR region, encrypted, with S3-native locking and one key per environment", () => {
    const prod = synthEnvironment("prod").json.terraform.backend.s3;
    expect(prod).toEqual({
      bucket: "smh-dashboard-tfstate-us-west-2-123456789012",
      key: "smh-dashboard/prod/terraform.tfstate",
      region: "us-west-2",
      encrypt: true,
      use_lockfile: true,
    });
    expect(synthEnvironment("dev").json.terraform.backend.s3.key).toBe("smh-dashboard/dev/terraform.tfstate");
  });

  test("the backend follows the configured state region", () => {
    const backend = synthEnvironment("prod", { stateRegion: "us-east-2", dr: { availabilityZones: ["us-east-2a", "us-east-2b"] } }).json.terraform.backend.s3;
    expect([backend.region, backend.bucket]).toEqual(["us-east-2", "smh-dashboard-tfstate-us-east-2-123456789012"]);
  });
});
