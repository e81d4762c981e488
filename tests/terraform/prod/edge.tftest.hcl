# prod's edge: CloudFront in front of the ALB and the static bucket, with WAF.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

# One run per file: each run is a full plan of the stack.
run "edge" {
  command = plan
  # cloudfront serves static and dynamic paths
  assert {
    condition     = aws_cloudfront_distribution.cdn.price_class == "PriceClass_100"
    error_message = "price class must be US, Canada, Europe (seed)"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.cdn.default_cache_behavior).viewer_protocol_policy == "redirect-to-https"
    error_message = "viewers must be redirected to HTTPS"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.cdn.default_cache_behavior).cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    error_message = "dynamic requests must not be cached (seed)"
  }
  assert {
    condition     = aws_cloudfront_cache_policy.cdn_static_cache.default_ttl == 3600
    error_message = "static assets must be cached for 1 hour by default (seed)"
  }
  assert {
    condition     = aws_cloudfront_origin_access_control.cdn_static_access.signing_behavior == "always"
    error_message = "the static bucket must be read through origin access control"
  }
  # waf protects the distribution
  assert {
    condition     = aws_wafv2_web_acl.waf.scope == "CLOUDFRONT"
    error_message = "the web ACL must have CloudFront scope"
  }
  assert {
    condition     = length(aws_wafv2_web_acl.waf.rule) == 4
    error_message = "three managed rule groups and a rate limit"
  }
  assert {
    condition     = aws_lb.load_balancer.internal
    error_message = "the ALB must be internal, reached through the CloudFront VPC origin"
  }
}
