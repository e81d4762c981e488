import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { resource, synthEnvironment } from "./helpers";

describe("Registry", () => {
  const { synthesized, json } = synthEnvironment("prod");

  test("immutable tags, scan on push, encryption", () => {
    expect(synthesized).toHaveResourceWithProperties(EcrRepository, {
      name: "smh-dashboard-prod-dashboard",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      force_delete: false,
    });
    expect(resource(json, "aws_ecr_repository", "registry").encryption_configuration[0].encryption_type).toMatch(/^(AES256|KMS)$/);
  });

  test("lifecycle policy keeps the last 10 images", () => {
    expect(json.data?.aws_ecr_lifecycle_policy_document?.registry_lifecycle_document).toEqual({
      rule: [
        expect.objectContaining({
          priority: 1,
          selection: [{ tag_status: "any", count_type: "imageCountMoreThan", count_number: 10 }],
          action: [{ type: "expire" }],
        }),
      ],
    });
    expect(resource(json, "aws_ecr_lifecycle_policy", "registry_lifecycle")).toMatchObject({
      repository: "${aws_ecr_repository.registry.name}",
      policy: "${data.aws_ecr_lifecycle_policy_document.registry_lifecycle_document.json}",
    });
  });

  test("outputs the repository URL", () => {
    expect(json.output?.ecr_repository_url.value).toBe("${aws_ecr_repository.registry.repository_url}");
  });

  test("dev may delete a repository that still holds images", () => {
    expect(resource(synthEnvironment("dev").json, "aws_ecr_repository", "registry").force_delete).toBe(true);
  });
});
