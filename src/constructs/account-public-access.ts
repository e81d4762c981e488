import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";

/**
 * S3 Block Public Access for the whole account (AWS Foundational Security Best Practices S3.1,
 * CIS 2.1.4): no bucket of the account, the project's or anyone's, can be made public by an ACL
 * or a bucket policy. Once per account (src/aws/singletons.ts), so it lives in the account
 * baseline. Nothing of the project is public through S3: CloudFront reads the static bucket
 * through its origin access control, which a public access block does not stop.
 */
export class AccountPublicAccessBlock extends Construct {
  public readonly block: S3AccountPublicAccessBlock;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.block = new S3AccountPublicAccessBlock(this, PRIMARY_ID, {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
}
