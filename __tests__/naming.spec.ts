import { bucketName, bucketNameProblems, logicalId, resourceName } from "../src/config/naming";

describe("naming", () => {
  test("logical ids are the construct path in snake case", () => {
    expect(logicalId(["network", "public-a"])).toBe("network_public_a");
    expect(logicalId(["service", "TaskDefinition"])).toBe("service_task_definition");
  });

  test("a construct's primary resource takes the construct's own name", () => {
    expect(logicalId(["network", "flow-logs-role", "Resource"])).toBe("network_flow_logs_role");
  });

  test("a name that would not start with a letter is refused", () => {
    expect(() => logicalId(["1st"])).toThrow(/must start with a letter/);
  });

  test("physical names carry project and environment", () => {
    expect(resourceName({ project: "smh-dashboard", environment: "prod" }, "alb")).toBe("smh-dashboard-prod-alb");
  });

  test("bucket names carry region and suffix and are checked against S3's rules", () => {
    const name = bucketName({ project: "smh-dashboard", environment: "prod", region: "us-east-1", suffix: "123456789012" }, "models");
    expect(name).toBe("smh-dashboard-prod-models-us-east-1-123456789012");
    expect(bucketNameProblems(name)).toEqual([]);
    expect(bucketNameProblems("x".repeat(64))).toEqual([expect.stringMatching(/64 characters; AWS allows 3-63/)]);
    expect(bucketNameProblems("Upper_Case")).toEqual([expect.stringMatching(/only lower-case letters, digits, periods and hyphens/)]);
  });
});
