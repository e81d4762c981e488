/**
 * A Terraform state (format 4) that stands for "this configuration is deployed", built offline
 * from a plan of it: the plan's planned values, with deterministic placeholders for the values
 * only AWS would know (ids, ARNs, computed defaults). Planning the same configuration against
 * that state and feeding the planned values back converges on a state the provider accepts as
 * up to date (`converge`).
 */
import * as fs from "fs";
import * as path from "path";
import { type TerraformSetup, terraformOk, WORK_ROOT } from "../terraform/harness";
import type { PlanForState } from "../terraform/plan-json";
import { REFERENCE, type StackConfiguration } from "./configuration";

/** cty type as Terraform's JSON schema writes it: "string", ["list", "string"], ["object", {...}]. */
type CtyType = string | [string, CtyType | Record<string, CtyType>];

interface SchemaBlock {
  attributes?: Record<string, { type?: CtyType; optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

/** The AWS provider's resource schemas, by resource type. */
export type ResourceSchemas = Record<string, { version: number; block: SchemaBlock }>;

const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

/**
 * The provider's resource schemas (`terraform providers schema -json` in an initialized
 * directory), cached per provider version because the full dump takes seconds.
 */
export function resourceSchemas(setup: TerraformSetup, initializedDir: string): ResourceSchemas {
  const lock = fs.readFileSync(path.join(initializedDir, ".terraform.lock.hcl"), "utf8");
  const version = /provider "registry.terraform.io\/hashicorp\/aws" \{\s*version\s*=\s*"([^"]+)"/.exec(lock)?.[1] ?? "unknown";
  const cache = path.join(WORK_ROOT, `aws-${version}-resource-schemas.json`);
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, "utf8"));
  const dump = JSON.parse(terraformOk(setup, initializedDir, ["providers", "schema", "-json"]));
  const schemas: ResourceSchemas = dump.provider_schemas[AWS_PROVIDER].resource_schemas;
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  fs.writeFileSync(`${cache}.tmp-${process.pid}`, JSON.stringify(schemas));
  fs.renameSync(`${cache}.tmp-${process.pid}`, cache);
  return schemas;
}

/** One resource instance of a state file. */
export interface StateResource {
  mode: "managed";
  type: string;
  name: string;
  provider: string;
  instances: { index_key?: string | number; schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: unknown[] }[];
}

export interface TerraformState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: StateResource[];
}

/** Where a placeholder stands, to make it readable and unique: `aws_vpc.network_vpc.id`. */
interface Where {
  readonly type: string;
  readonly name: string;
  readonly path: string[];
  /** The resource's top-level attributes that the configuration references somewhere. */
  readonly referenced: ReadonlySet<string>;
}

/**
 * A value of the given type for something unknown until apply. Strings name their place, so
 * two placeholders never collide; ARNs are well-formed because values flow from one resource's
 * state into another's configuration, where the provider validates them.
 */
function placeholder(type: CtyType | undefined, where: Where): unknown {
  if (type === "string") {
    const attribute = where.path.filter((p) => !/^\d+$/.test(p)).at(-1) ?? "value";
    const label = `${where.name}-${where.path.join("-")}`.replace(/_/g, "-");
    if (attribute === "arn" || attribute.endsWith("_arn")) return `arn:aws:review:us-east-1:000000000000:${where.type}/${label}`;
    return `review-${label}`;
  }
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    if (type[0] === "map") return {};
    if (type[0] === "object") {
      const fields = type[1] as Record<string, CtyType>;
      return Object.fromEntries(Object.entries(fields).map(([k, t]) => [k, placeholder(t, { ...where, path: [...where.path, k] })]));
    }
    // A referenced list of objects (an RDS instance's master_user_secret[0]) needs an element.
    const element = type[1] as CtyType;
    return Array.isArray(element) && element[0] === "object" ? [placeholder(element, { ...where, path: [...where.path, "0"] })] : [];
  }
  return null;
}

/** The placeholder a state built here holds in `type.name`'s top-level string `attribute`. */
export const placeholderOf = (type: string, name: string, attribute: string): string =>
  placeholder("string", { type, name, path: [attribute], referenced: new Set() }) as string;

/**
 * The state value of an attribute the plan leaves unknown. The id, and any top-level attribute
 * that the configuration reads (an ARN, a DNS name, a secret's ARN), gets a placeholder. Others
 * get what the provider writes when AWS leaves them unset: an empty string for a string, null
 * or empty for the rest; a made-up value could be invalid (an enum) or force a replacement (a
 * computed default).
 *
 * The empty string matters for the provider's plugin-framework resources: one that keeps its
 * state for a value it cannot plan (UseStateForUnknown) keeps nothing from null, so a change of
 * any other argument plans the attribute as unknown, and one that also requires replacement
 * (an S3 lifecycle configuration's expected_bucket_owner, which the provider writes as "") turns
 * an ordinary update into a replace. SDKv2 resources read "" and null alike.
 */
function unknownAttribute(key: string, attribute: { type?: CtyType; optional?: boolean; computed?: boolean } | undefined, where: Where): unknown {
  const topLevel = where.path.length === 1;
  const needed = key === "id" || (topLevel ? where.referenced.has(key) : !(attribute?.optional && attribute.computed));
  if (needed) return placeholder(attribute?.type, where);
  if (attribute?.type === "string") return "";
  if (!Array.isArray(attribute?.type) || attribute.type[0] === "object") return null;
  return attribute.type[0] === "map" ? {} : [];
}

/**
 * `known` with every place that `unknown` marks as unknown filled: with the value at the same
 * place in `prior` when there is one (a value that is already deployed stays), else a
 * placeholder of the schema's type. Nested blocks that are wholly unknown become empty.
 */
function fill(known: any, unknown: any, block: SchemaBlock | undefined, prior: any, where: Where): any {
  if (known === null || typeof known !== "object" || Array.isArray(known)) return known;
  const out: Record<string, unknown> = { ...known };
  const attributes = block?.attributes ?? {};
  const blocks = block?.block_types ?? {};
  for (const key of new Set([...Object.keys(attributes), ...Object.keys(blocks), ...Object.keys(known)])) {
    const marker = unknown?.[key];
    const priorValue = prior?.[key];
    const at: Where = { ...where, path: [...where.path, key] };
    if (key in blocks) {
      const nested = blocks[key];
      if (marker === true) {
        out[key] = priorValue ?? (nested.nesting_mode === "single" ? null : []);
      } else if (Array.isArray(out[key])) {
        out[key] = (out[key] as unknown[]).map((item, i) => fill(item, marker?.[i], nested.block, priorValue?.[i], { ...at, path: [...at.path, String(i)] }));
      } else if (out[key] && typeof out[key] === "object") {
        out[key] = fill(out[key], marker, nested.block, priorValue, at);
      } else if (!(key in known)) {
        out[key] = nested.nesting_mode === "single" ? null : [];
      }
      continue;
    }
    if (marker === true) {
      out[key] = priorValue !== undefined && priorValue !== null ? priorValue : unknownAttribute(key, attributes[key], at);
    } else if (marker && typeof marker === "object") {
      out[key] = fillValue(out[key], marker, priorValue, at, attributes[key]?.type);
    } else if (!(key in known)) {
      out[key] = null;
    }
  }
  return out;
}

/** `fill` for the inside of an attribute (a list, set, map or object value). */
function fillValue(value: any, marker: any, prior: any, where: Where, type: CtyType | undefined): any {
  if (marker === true) return prior ?? placeholder(type, where);
  if (Array.isArray(value)) {
    const element = Array.isArray(type) ? (type[1] as CtyType) : undefined;
    return value.map((v, i) => fillValue(v, marker?.[i], prior?.[i], { ...where, path: [...where.path, String(i)] }, element));
  }
  if (value && typeof value === "object" && marker && typeof marker === "object") {
    const out: Record<string, unknown> = { ...value };
    for (const key of Object.keys(marker)) {
      const fieldType = Array.isArray(type) ? (type[0] === "object" ? (type[1] as Record<string, CtyType>)[key] : (type[1] as CtyType)) : undefined;
      out[key] = fillValue(value[key], marker[key], prior?.[key], { ...where, path: [...where.path, key] }, fieldType);
    }
    return out;
  }
  return value;
}

/** The `provider[...]` string a state resource carries, from the configuration's provider key. */
function providerOf(configKey: string | undefined): string {
  const alias = configKey?.includes(".") ? configKey.slice(configKey.indexOf(".") + 1) : undefined;
  return `provider["${AWS_PROVIDER}"]${alias ? `.${alias}` : ""}`;
}

/** Key of one instance in the maps below. */
const instanceKey = (type: string, name: string, index?: string | number) => `${type}.${name}${index === undefined ? "" : `[${JSON.stringify(index)}]`}`;

/**
 * The state after applying `plan` on top of `prior` (undefined: an empty state): every managed
 * resource the plan creates, updates or replaces takes its planned values, unknowns filled from
 * the prior state or with placeholders; resources the plan deletes leave; the rest stay.
 */
export function stateFromPlan(
  plan: PlanForState,
  schemas: ResourceSchemas,
  prior: TerraformState | undefined,
  identity: { lineage: string; terraformVersion: string },
  configuration?: StackConfiguration,
): TerraformState {
  const priorInstances = new Map<string, { resource: StateResource; instance: StateResource["instances"][number] }>();
  for (const resource of prior?.resources ?? []) {
    for (const instance of resource.instances) priorInstances.set(instanceKey(resource.type, resource.name, instance.index_key), { resource, instance });
  }
  const referenced = referencedAttributes(plan);
  const configKeys = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.provider_config_key]));
  const schemaVersions = new Map((plan.planned_values?.root_module?.resources ?? []).map((r) => [r.address, r.schema_version]));
  const next = new Map(priorInstances);
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const key = instanceKey(rc.type, rc.name, rc.index);
    if (rc.change.actions.includes("delete") && !rc.change.actions.includes("create")) {
      next.delete(key);
      continue;
    }
    if (rc.change.actions.join() === "no-op" && next.has(key)) continue;
    const schema = schemas[rc.type];
    if (!schema) throw new Error(`the AWS provider has no schema for ${rc.type} (${rc.address})`);
    const before = next.get(key);
    const attributes = fill(rc.change.after, rc.change.after_unknown ?? {}, schema.block, before?.instance.attributes, {
      type: rc.type,
      name: rc.name,
      path: [],
      referenced: referenced.get(`${rc.type}.${rc.name}`) ?? new Set(),
    });
    const configAddress = rc.address.replace(/\[[^\]]*\]$/, "");
    next.set(key, {
      resource: { mode: "managed", type: rc.type, name: rc.name, provider: providerOf(configKeys.get(configAddress)), instances: [] },
      instance: {
        ...(rc.index === undefined ? {} : { index_key: rc.index }),
        schema_version: schemaVersions.get(rc.address) ?? schema.version,
        attributes,
        sensitive_attributes: sensitivePaths(rc.change.after_sensitive),
      },
    });
  }
  resolveReferences(plan, next);
  if (configuration) resolveNestedReferences(configuration, plan, schemas, next);
  const resources = new Map<string, StateResource>();
  for (const { resource, instance } of next.values()) {
    const id = `${resource.type}.${resource.name}`;
    if (!resources.has(id)) resources.set(id, { ...resource, instances: [] });
    resources.get(id)!.instances.push(instance);
  }
  return {
    version: 4,
    terraform_version: identity.terraformVersion,
    serial: (prior?.serial ?? 0) + 1,
    lineage: identity.lineage,
    outputs: {},
    resources: [...resources.values()].sort((a, b) => `${a.type}.${a.name}`.localeCompare(`${b.type}.${b.name}`)),
  };
}

/**
 * A plan's `after_sensitive` marks as the state's `sensitive_attributes` paths. A state whose
 * marks differ from the configuration's plans an update that changes nothing visible.
 */
function sensitivePaths(marks: unknown, prefix: object[] = []): object[][] {
  if (marks === true) return [prefix];
  if (Array.isArray(marks)) return marks.flatMap((m, i) => sensitivePaths(m, [...prefix, { type: "index", value: { value: i, type: "number" } }]));
  if (marks && typeof marks === "object") {
    return Object.entries(marks).flatMap(([key, m]) => sensitivePaths(m, [...prefix, { type: "get_attr", value: key }]));
  }
  return [];
}

/** `aws_lb.load_balancer` -> the top-level attributes of it that any expression reads. */
function referencedAttributes(plan: PlanForState): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "references" && Array.isArray(value)) {
          for (const ref of value as string[]) {
            const [type, name, attribute] = ref.split(".");
            if (type === "data" || !attribute) continue;
            const address = `${type}.${name.replace(/\[.*$/, "")}`;
            if (!found.has(address)) found.set(address, new Set());
            found.get(address)!.add(attribute.replace(/\[.*$/, ""));
          }
        } else visit(value);
      }
    }
  };
  visit(plan.configuration);
  return found;
}

/** A configuration string that is only references and text: `${aws_s3_bucket.data.arn}/*`. */
const TEMPLATE_PART = /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+)\}/g;

type Instances = Map<string, { instance: StateResource["instances"][number] }>;

/**
 * `template` with each `${type.name.attribute}` replaced by that attribute's value in `instances`;
 * undefined when one has no string or number value there, or an expression other than a
 * reference remains.
 */
function resolvedTemplate(template: string, instances: Instances): string | undefined {
  let resolvable = true;
  const value = template.replace(TEMPLATE_PART, (_m, ref: string) => {
    const [type, name, attribute] = ref.split(".");
    const v = instances.get(`${type}.${name}`)?.instance.attributes[attribute];
    if (typeof v !== "string" && typeof v !== "number") resolvable = false;
    return String(v);
  });
  return resolvable && !value.includes("${") ? value : undefined;
}

/**
 * Gives the attributes that the plan left unknown, and whose configuration is a plain template of
 * other resources' attributes, the value those resources now have in the state. One plan then
 * settles a chain of references (route -> NAT gateway -> subnet) that would otherwise take a
 * plan per link.
 */
function resolveReferences(plan: PlanForState, instances: Instances): void {
  const unknownOf = new Map((plan.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown ?? {}]));
  const pending = (plan.configuration?.root_module?.resources ?? [])
    .filter((r) => r.mode !== "data" && !r.address.startsWith("data.") && instances.has(r.address))
    .flatMap((r) =>
      Object.entries(r.expressions ?? {})
        .filter(([key, e]) => unknownOf.get(r.address)?.[key] === true && typeof e.constant_value === "string" && e.constant_value.includes("${"))
        .map(([key, e]) => ({ address: r.address, key, template: e.constant_value as string })),
    );
  for (let pass = 0, changed = true; changed && pass < 20; pass += 1) {
    changed = false;
    for (const p of pending) {
      const value = resolvedTemplate(p.template, instances);
      if (value === undefined) continue;
      const attributes = instances.get(p.address)!.instance.attributes;
      if (attributes[p.key] !== value) {
        attributes[p.key] = value;
        changed = true;
      }
    }
  }
}

/** `value` is a string, or a list or map of strings: what a reference can fill whole. */
const isStrings = (value: unknown): boolean =>
  typeof value === "string" || (value !== null && typeof value === "object" && Object.values(value).every((v) => typeof v === "string"));

/**
 * resolveReferences for the values the plan's configuration summary does not give: references in
 * lists, maps and nested blocks of the synthesized configuration (an alarm's actions, a bucket
 * encryption rule's key, a service's subnets). Where the plan left such a value unknown and every
 * reference in it has a value in the state, the state takes the configuration's value, as the
 * next plan would compute it. Without this, each link of a chain (key -> repository -> role
 * policy) costs one more plan before the state round-trips.
 */
function resolveNestedReferences(configuration: StackConfiguration, plan: PlanForState, schemas: ResourceSchemas, instances: Instances): void {
  const resolved = (config: unknown): unknown => {
    if (typeof config === "string") return resolvedTemplate(config, instances);
    const entries = Object.entries(config as Record<string, unknown>).map(([k, v]) => [k, resolved(v)] as const);
    if (entries.some(([, v]) => v === undefined)) return undefined;
    return Array.isArray(config) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  };
  type Values = Record<string, unknown>;
  const isObject = (v: unknown): v is Values => v !== null && typeof v === "object" && !Array.isArray(v);
  /** `state` (one block's values) with what `marker` says is unknown filled from `config`. */
  const fillBlock = (config: Values, state: Values, marker: Values, block: SchemaBlock): Values => {
    const out: Values = { ...state };
    for (const [key, unknown] of Object.entries(marker)) {
      if (!unknown || !(key in config)) continue;
      const nested = block.block_types?.[key];
      if (nested) {
        // Blocks in a set have no order to match the configuration's by; a wholly unknown block
        // stays as fill() left it.
        if (unknown === true || nested.nesting_mode === "set") continue;
        const items = Array.isArray(config[key]) ? (config[key] as unknown[]) : [config[key]];
        const current = out[key];
        if (nested.nesting_mode === "single") {
          if (isObject(current) && isObject(items[0]) && isObject(unknown)) out[key] = fillBlock(items[0], current, unknown, nested.block);
        } else if (Array.isArray(current) && Array.isArray(unknown) && current.length === items.length) {
          out[key] = current.map((item, i) =>
            isObject(item) && isObject(items[i]) && isObject(unknown[i]) ? fillBlock(items[i], item, unknown[i], nested.block) : item,
          );
        }
        continue;
      }
      // An attribute: a string, or a list, set or map of strings, unknown in whole or in part.
      const value = config[key];
      if (!isStrings(value) || !JSON.stringify(value).includes("${")) continue;
      const filled = resolved(value);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  };
  const pending = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.index === undefined && isObject(rc.change.after_unknown));
  for (let pass = 0, changed = true; changed && pass < 20; pass += 1) {
    changed = false;
    for (const rc of pending) {
      const config = configuration.resource?.[rc.type]?.[rc.name];
      const entry = instances.get(`${rc.type}.${rc.name}`);
      const block = schemas[rc.type]?.block;
      if (!config || !entry || !block) continue;
      const before = JSON.stringify(entry.instance.attributes);
      const attributes = fillBlock(config, entry.instance.attributes, rc.change.after_unknown as Values, block);
      if (JSON.stringify(attributes) !== before) {
        entry.instance.attributes = attributes;
        changed = true;
      }
    }
  }
}

/**
 * `state` with a placeholder in every top-level computed attribute that `configuration` (a
 * synthesized stack about to be planned against it) references and the state leaves empty. A
 * state built from a base fills only what the base referenced; a real state has every computed
 * value, so a head that starts to reference one (an RDS instance's resource_id) must find it.
 */
export function withReferencedValues(state: TerraformState, configuration: object, schemas: ResourceSchemas): TerraformState {
  const wanted = new Map<string, Set<string>>();
  for (const text of JSON.stringify(configuration).matchAll(REFERENCE)) {
    const [, type, name, attribute] = text;
    const address = `${type}.${name}`;
    if (!wanted.has(address)) wanted.set(address, new Set());
    wanted.get(address)!.add(attribute);
  }
  return {
    ...state,
    resources: state.resources.map((resource) => {
      const attributes = wanted.get(`${resource.type}.${resource.name}`);
      const schema = schemas[resource.type]?.block.attributes ?? {};
      if (!attributes) return resource;
      return {
        ...resource,
        instances: resource.instances.map((instance) => {
          const filled = { ...instance.attributes };
          for (const attribute of attributes) {
            const definition = schema[attribute];
            if (definition?.computed && (filled[attribute] === null || filled[attribute] === undefined || filled[attribute] === "")) {
              filled[attribute] = placeholder(definition.type, { type: resource.type, name: resource.name, path: [attribute], referenced: attributes });
            }
          }
          return { ...instance, attributes: filled };
        }),
      };
    }),
  };
}
