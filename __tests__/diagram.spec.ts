import * as fs from "fs";
import * as path from "path";
import { DIAGRAM_DIR, environmentSvg } from "../tools/diagram";
import { drawnAddresses, environmentDot } from "../tools/review/diagram";
import { environmentJson } from "../tools/review/estimate";

jest.setTimeout(60_000);

describe.each(["dev", "prod"])("diagram of %s (npm run diagram)", (environment) => {
  let svg: string;
  const json = environmentJson(environment);

  beforeAll(async () => {
    svg = await environmentSvg(environment);
  });

  test("has a node for every major resource of the stack", () => {
    const addresses = drawnAddresses(json);
    expect(addresses.length).toBeGreaterThan(20);
    const missing = addresses.filter((address) => !svg.includes(`<title>${address}</title>`));
    expect(missing).toEqual([]);
  });

  test("shows the zones, the DR region and the seed's data flows", () => {
    // Graphviz escapes hyphens in SVG text.
    const text = svg.replace(/&#45;/g, "-");
    for (const expected of ["us-east-1a", "us-east-1b", "us-west-2 (disaster recovery)", "1. User Request Flow", "3. ML Prediction Flow: load model", "Terraform state"]) {
      expect(text).toContain(expected);
    }
  });

  test("the committed picture is the one the configuration produces", () => {
    expect(fs.readFileSync(path.join(DIAGRAM_DIR, `${environment}.svg`), "utf8")).toBe(svg);
  });
});

test("prod's diagram has CloudFront, its static asset flow and WAF; dev's has none", () => {
  const prod = environmentDot("prod", environmentJson("prod"));
  expect(prod).toContain("2. Static Asset Flow (1 h cache)");
  expect(prod).toContain('"aws_wafv2_web_acl.waf"');
  expect(environmentDot("dev", environmentJson("dev"))).not.toContain("aws_cloudfront_distribution");
});
