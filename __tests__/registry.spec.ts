/**
 * The Registry alone in a bare stack, with explicit props (the presets' image count is
 * config.spec's); how the environment stack wires it is in the last block.
 */
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Testing } from "cdktf";
import { Registry, type RegistryProps } from "../src/constructs/registry";
import { bareStack } from "./bare-stack";
import { resource, synthEnvironment, type TerraformJson } from "./helpers";

/** A repository in a bare stack; `props` replace the defaults under test. */
function registry(props: Partial<RegistryProps> = {}): { synthesized: string; json: TerraformJson } {
  const bare = bareStack("test");
  new Registry(bare.stack, "registry", { repositoryName: "smh-dashboard-test-dashboard", keepImages: 7, ...props });
  const synthesized = Testing.synth(bare.stack);
  return { synthesized, json: JSON.parse(synthesized) };
}

describe("Registry", () => {
  const { synthesized, json } = registry();

  test("immutable tags, scan on push, AES-256 without a key, kept by destroy unless forceDelete", () => {
    expect(synthesized).toHaveResourceWithProperties(EcrRepository, {
      name: "smh-dashboard-test-dashboard",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "AES256" }],
      force_delete: false,
    });
    expect(resource(registry({ forceDelete: true }).json, "aws_ecr_repository", "registry").force_delete).toBe(true);
  });

  test("the lifecycle policy keeps the last keepImages images", () => {
    expect(json.data?.aws_ecr_lifecycle_policy_document?.registry_lifecycle_document).toEqual({
      rule: [
        expect.objectContaining({
          priority: 1,
          selection: [{ tag_status: "any", count_type: "imageCountMoreThan", count_number: 7 }],
          action: [{ type: "expire" }],
        }),
      ],
    });
    expect(resource(json, "aws_ecr_lifecycle_policy", "registry_lifecycle")).toMatchObject({
      repository: "${aws_ecr_repository.registry.name}",
      policy: "${data.aws_ecr_lifecycle_policy_document.registry_lifecycle_document.json}",
    });
  });

  test("keeping no image, which would expire the running one too, is refused", () => {
    expect(() => registry({ keepImages: 0 })).toThrow(/keepImages 0 must be a whole number of at least 1/);
  });
});

describe("the environment stack's registry", () => {
  const { json } = synthEnvironment("prod");

  test("is encrypted with the environment's data key and outputs its URL", () => {
    expect(resource(json, "aws_ecr_repository", "registry").encryption_configuration).toEqual([
      { encryption_type: "KMS", kms_key: "${aws_kms_key.keys_data.arn}" },
    ]);
    expect(json.output?.ecr_repository_url.value).toBe("${aws_ecr_repository.registry.repository_url}");
  });

  test("may be deleted with its images where storage.forceDestroy is set", () => {
    expect(
      resource(synthEnvironment("dev", { environments: { dev: { storage: { forceDestroy: true } } } }).json, "aws_ecr_repository", "registry").force_delete,
    ).toBe(true);
  });
});
