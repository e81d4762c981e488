/**
 * What checkov does with this project's output, as read from its source at the version the
 * project scans with (github.com/bridgecrewio/checkov, tag 3.3.13): the `resource` string a
 * finding carries, how `--baseline` matches a finding, and which top-level JSON its
 * `terraform_json` parser can read. The recorded scan (`__tests__/fixtures/checkov-scan-*.json`)
 * checks these facts against real findings.
 */

/** The checkov version these facts were read from. */
export const CHECKOV_VERSION = "3.3.13";

/**
 * AWS checks that checkov 3.3.13 implements as graph policies (the `id` of every
 * checkov/terraform/checks/graph_checks/aws/*.yaml). Every other AWS check id is a Python check
 * (checkov/terraform/checks/{resource,data}/aws), CKV2_AWS_70 included.
 */
export const GRAPH_CHECKS: ReadonlySet<string> = new Set([
  ...[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 20, 21, 22, 23, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
    47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 68, 69, 71, 72, 73, 74, 75, 76, 77, 78,
  ].map((n) => `CKV2_AWS_${n}`),
  ...[18, 19, 20, 21, 57, 103, 144, 145, 378].map((n) => `CKV_AWS_${n}`),
]);

/** `aws_lb.load_balancer` -> its type and name; `data.aws_iam_policy_document.x` -> also `data`. */
function parts(address: string): { data: boolean; type: string; name: string } {
  const [first, ...rest] = address.split(".");
  const [type, name] = first === "data" ? rest : [first, ...rest];
  return { data: first === "data", type, name };
}

/**
 * The `resource` string checkov 3.3.13 (`--framework terraform_json`) reports for a finding of
 * `check` on the block at `address` (a `*` in the name is kept):
 * - a Python check reports `<block type>.<name>`: `resource.load_balancer_http`,
 *   `data.alerts_key_policy` (terraform_json/runner.py, run_block: `f"{block_type}.{entity_name}"`);
 * - a graph check reports its graph vertex id, `<type>.<name>` for resources and data sources
 *   alike (terraform/graph_builder/graph_components/module.py, `_add_resource` / `_add_data`).
 */
export function reportedAs(check: string, address: string): string {
  const { data, type, name } = parts(address);
  return GRAPH_CHECKS.has(check) ? `${type}.${name}` : `${data ? "data" : "resource"}.${name}`;
}

/**
 * Every `resource` string under which a finding of `check` on `address` may be reported: the
 * form above, and for a Python check also `<type>.<name>`. checkov turns Python checks into
 * graph checks from one version to the next (CKV_AWS_145 in #2724, CKV_AWS_144 in #2850,
 * CKV_AWS_103 in #3424), and a converted check reports `<type>.<name>`; no graph check has gone
 * back. The extra entry matches only that check on that block.
 */
export function baselineResources(check: string, address: string): string[] {
  const reported = reportedAs(check, address);
  const { type, name } = parts(address);
  return GRAPH_CHECKS.has(check) ? [reported] : [reported, `${type}.${name}`];
}

/** checkov's baseline file (checkov/common/output/baseline.py, `Baseline.to_dict`). */
export interface CheckovBaseline {
  failed_checks: { file: string; findings: { resource: string; check_ids: string[] }[] }[];
}

/** One finding as checkov reports it: the check id and the `resource` string. */
export interface CheckovFinding {
  readonly check: string;
  readonly resource: string;
}

/**
 * Whether `--baseline` hides a finding: `Baseline._is_check_in_baseline` compares the
 * `resource` string and the check id with every entry of every file, and never the file path.
 */
export function suppressedBy(baseline: CheckovBaseline, finding: CheckovFinding): boolean {
  return baseline.failed_checks.some((file) => file.findings.some((f) => f.resource === finding.resource && f.check_ids.includes(finding.check)));
}

/** Keys checkov's parser skips: the JSON comment key and its own line markers (util/consts.py). */
const SKIPPED_KEYS = new Set(["//", "__startline__", "__endline__", "__file__"]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const kindOf = (v: unknown) => (Array.isArray(v) ? "a list" : v === null ? "null" : isObject(v) ? "an object" : `a ${typeof v}`);

/**
 * What in a stack's top-level JSON checkov 3.3.13's terraform_json parser cannot read, one line
 * each (empty: it parses). terraform_json/parser.py `prepare_definition` calls `.items()` on
 * every top-level value (a list fails: "'list' object has no attribute 'items'"), then
 * `handle_block_type` walks `resource` and `data` as type -> name -> object, `provider` as name ->
 * list of objects, `locals` as one object, and every other block type as name -> object; `hclify`
 * refuses anything else ("this method receives only dicts"). Either error stops the terraform_json
 * run: the recorded scan of the `baseline` stack got no check at all.
 * So `moved`, `removed` and `import` fail in both of Terraform's JSON forms: as a list, and as an
 * object, whose `from` / `to` / `id` are strings.
 */
export function unparsableBlocks(json: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [blockType, blocks] of Object.entries(json)) {
    if (SKIPPED_KEYS.has(blockType)) continue;
    if (!isObject(blocks)) {
      problems.push(`"${blockType}" is ${kindOf(blocks)}: the parser reads every top-level value as an object`);
      continue;
    }
    if (blockType === "locals") continue;
    for (const [name, config] of Object.entries(blocks)) {
      if (SKIPPED_KEYS.has(name)) continue;
      const where = `"${blockType}.${name}"`;
      if (blockType === "resource" || blockType === "data") {
        if (!isObject(config)) {
          problems.push(`${where} is ${kindOf(config)}: the parser reads ${blockType} blocks by type, then name, as objects`);
          continue;
        }
        for (const [block, body] of Object.entries(config)) {
          if (!SKIPPED_KEYS.has(block) && !isObject(body))
            problems.push(`"${blockType}.${name}.${block}" is ${kindOf(body)}: the parser reads each block's body as an object`);
        }
      } else if (blockType === "provider") {
        if (!Array.isArray(config) || !config.every(isObject))
          problems.push(`${where} is ${kindOf(config)}: the parser reads each provider as a list of objects`);
      } else if (!isObject(config)) {
        problems.push(`${where} is ${kindOf(config)}: the parser reads each entry of a "${blockType}" block as an object`);
      }
    }
  }
  return problems;
}
