import { S3Backend, type TerraformStack } from "cdktf";
import { stateBucketName, stateKey } from "./src/config/naming";

/**
 * What the pipeline gives `terraform init` (TF_CLI_ARGS_init, docs/ci) to drop the backend's
 * assume_role: its OIDC role is already in the stack's account, and the state bucket lets it in
 * (src/stacks/state-access.ts). Harmless for a backend without one; a local backend (the state
 * stack's, which the pipeline never deploys) refuses it.
 */
export const PIPELINE_INIT_ARGS = "-backend-config=assume_role=null";

/** Where one environment keeps its Terraform state. */
export interface RemoteStateProps {
  /** Project slug; prefixes the state bucket name and the key. */
  readonly project: string;
  /** Environment whose state this is; one key per environment. */
  readonly environment: string;
  /** Disaster-recovery region that holds the state bucket (never the primary region). */
  readonly stateRegion: string;
  /** Suffix that makes the state bucket name unique; the id of the account that holds it. */
  readonly bucketSuffix: string;
  /**
   * A role the backend assumes to reach the state (the environment's deploy role), for a person
   * deploying from another account; the pipeline drops it (PIPELINE_INIT_ARGS).
   * @default the deploying identity's own credentials
   */
  readonly roleArn?: string;
}

/**
 * The S3 backend in the DR region that the `state` bootstrap stack creates: encrypted, one key
 * per environment, locked with S3-native lock files (Terraform >= 1.10) instead of DynamoDB.
 */
export function configureRemoteState(stack: TerraformStack, props: RemoteStateProps): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: stateBucketName(props.project, props.stateRegion, props.bucketSuffix),
    key: stateKey(props.project, props.environment),
    region: props.stateRegion,
    encrypt: true,
    ...(props.roleArn ? { assumeRole: { roleArn: props.roleArn } } : {}),
  });
  // cdktf 0.21's S3BackendConfig has no field for use_lockfile.
  backend.addOverride("use_lockfile", true);
  return backend;
}
