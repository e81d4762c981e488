/**
 * The HCL layout of `npm run synth:hcl` (src/synth/hcl-format.ts), one rule at a time, on
 * HCL as cdktf renders it. hcl.spec.ts checks every stack's whole file against `terraform fmt`
 * and `terraform validate`.
 */
import { formatHcl, HclFormatError } from "../src/synth/hcl-format";

const hcl = (...lines: string[]) => lines.join("\n");

describe("formatHcl", () => {
  test("GIVEN nested blocks and objects WHEN formatted THEN each level of brackets is indented two spaces", () => {
    expect(formatHcl(hcl("terraform {", "required_providers {", "aws = {", 'source = "aws"', "}", "}", "}"))).toBe(
      hcl("terraform {", "  required_providers {", "    aws = {", '      source = "aws"', "    }", "  }", "}"),
    );
  });

  test("GIVEN consecutive attributes WHEN formatted THEN their = are aligned, each run of them apart", () => {
    expect(formatHcl(hcl('resource "a" "b" {', "bucket = 1", "force_destroy = false", "tags = {", "Name = 2", "}", "}"))).toBe(
      hcl('resource "a" "b" {', "  bucket        = 1", "  force_destroy = false", "  tags = {", "    Name = 2", "  }", "}"),
    );
  });

  test("GIVEN a line whose first = is in an interpolation WHEN formatted THEN it is not aligned with its neighbours, as terraform fmt does", () => {
    const kept = hcl("tags = {", '  "${jsonencode({ a = 1 })}-x" = 1', "  bb = 2", "}");
    expect(formatHcl(kept)).toBe(kept);
  });

  test("GIVEN a blank line WHEN formatted THEN it is kept, empty, and ends a run of aligned attributes", () => {
    expect(formatHcl(hcl("a {", "bb = 1", "  ", "c = 2", "}", ""))).toBe(hcl("a {", "  bb = 1", "", "  c = 2", "}", ""));
  });

  test("GIVEN a string that is one interpolation WHEN formatted THEN it is the bare expression, in a value, an element or an argument", () => {
    expect(
      formatHcl(hcl("a {", 'policy = "${data.x.y.json}"', 'list = ["${aws_s3_bucket.b.arn}", "z"]', 'body = "${jsonencode({"k" = "${aws_x.y.id}"})}"', "}")),
    ).toBe(hcl("a {", "  policy = data.x.y.json", '  list   = [aws_s3_bucket.b.arn, "z"]', '  body   = jsonencode({ "k" = aws_x.y.id })', "}"));
  });

  test("GIVEN a string with text around its interpolation, or two of them WHEN formatted THEN it stays a string", () => {
    const kept = hcl("a {", '  arn  = "arn:${data.p.partition}:s3:::b"', '  both = "${a.b}${c.d}"', '  esc  = "$${a.b}"', "}");
    expect(formatHcl(kept)).toBe(kept);
  });

  test("GIVEN an interpolation-only string as an object key or beside an operator or index WHEN formatted THEN it stays quoted: unquoting would change its meaning", () => {
    const kept = hcl(
      "a {",
      '  tags = { "${var.k}" = 1 }', // terraform fmt spaces an index after a string
      '  x    = "${a ? b : c}" [0]',
      '  y    = 1 + "${a.b}"',
      "}",
    );
    expect(formatHcl(kept)).toBe(kept);
  });

  test("GIVEN a resource's provider, depends_on and lifecycle ignore_changes in quotes WHEN formatted THEN they are bare references", () => {
    expect(
      formatHcl(
        hcl(
          'resource "a" "b" {',
          'provider = "aws.dr"',
          "depends_on = [",
          '"aws_s3_bucket.x",',
          "]",
          "lifecycle {",
          "ignore_changes = [",
          '"desired_count",',
          "]",
          "}",
          "}",
        ),
      ),
    ).toBe(
      hcl(
        'resource "a" "b" {',
        "  provider = aws.dr",
        "  depends_on = [",
        "    aws_s3_bucket.x,",
        "  ]",
        "  lifecycle {",
        "    ignore_changes = [",
        "      desired_count,",
        "    ]",
        "  }",
        "}",
      ),
    );
  });

  test("GIVEN an attribute named provider or depends_on that is no meta-argument WHEN formatted THEN its string is kept", () => {
    const kept = hcl(
      'resource "a" "b" {',
      "  rule {",
      '    provider   = "aws.dr"',
      '    depends_on = ["x.y"]',
      "  }",
      "}",
      'provider "aws" {',
      '  alias = "dr"',
      "}",
    );
    expect(formatHcl(kept)).toBe(kept);
  });

  test("GIVEN tokens spaced irregularly WHEN formatted THEN spaced as terraform fmt does", () => {
    expect(formatHcl(hcl("a {", "x = f( [ 1,2 ] , {b=-1}, {} )", "y = a.b [0]", "z = ! a", "}"))).toBe(
      hcl("a {", "  x = f([1, 2], { b = -1 }, {})", "  y = a.b[0]", "  z = !a", "}"),
    );
  });

  test("GIVEN a comment or a heredoc WHEN formatted THEN it is refused, naming the line", () => {
    expect(() => formatHcl(hcl("a {", "# note", "}"))).toThrow(new HclFormatError("a comment is not supported at column 1", 2));
    expect(() => formatHcl(hcl("a {", "x = <<EOT", "EOT", "}"))).toThrow(/HCL line 2: a heredoc is not supported/);
  });

  test("GIVEN formatted HCL WHEN formatted again THEN it is unchanged", () => {
    const once = formatHcl(hcl('resource "a" "b" {', 'provider = "aws.dr"', 'bucket = "${aws_s3_bucket.b.id}"', "tags = {", 'Name = "n"', "}", "}"));
    expect(formatHcl(once)).toBe(once);
  });
});
