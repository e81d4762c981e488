/**
 * Where a setting is written, so that a problem names the file to edit and the key in it:
 * `environments/qa.json: service.desiredCount is -1 ...`, `cdktf.json: context.deployment.region
 * ...`, `deployment.local.json: environments.sbxalice.dr.enabled ...`. Each layer's file is
 * recorded when it is read (loadSettings, committedSettings: src/config/settings.ts withSource);
 * a layer built in code has none, and its problems keep naming the environment
 * (`environment "dev": ...`).
 */
import { type DeploymentSettings, type LayerSource, sourceOf } from "../config/settings";

/** A place in a settings file: the file, and the key path in it ("" for the file's whole object). */
export interface Place {
  readonly file: string;
  readonly key: string;
}

/** `a.b` from key paths, either of which may be empty. */
const joinKeys = (...keys: string[]): string => keys.filter((k) => k !== "").join(".");

/** The keys of a setting's path (`network.privateSubnetCidrs[1]`: network, privateSubnetCidrs; an item is its list's). */
const keysOf = (path: string): string[] => path.split(/[.[]/).filter((key) => key !== "" && !key.endsWith("]"));

/** The value at `keys` in `value`, or undefined. */
const valueAt = (value: unknown, keys: readonly string[]): unknown =>
  keys.reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);

/**
 * A problem's line, naming where it is written: `<file>: <key> <message>`, or, when the problem
 * has no setting of its own (`path` empty), `<file>: <key>: <message>`. Without a place, `fallback`
 * (what the line said before files were known, e.g. `environment "dev"`) stands in for the file.
 */
export function placed(place: Place | undefined, path: string, message: string, fallback?: string): string {
  if (!place) {
    const text = path ? `${path} ${message}` : message;
    return fallback ? `${fallback}: ${text}` : text;
  }
  const key = joinKeys(place.key, path);
  if (path) return `${place.file}: ${key} ${message}`;
  return key ? `${place.file}: ${key}: ${message}` : `${place.file}: ${message}`;
}

/** Where one layer's settings are written. */
class LayerPlaces {
  constructor(
    readonly layer: DeploymentSettings,
    private readonly source: LayerSource | undefined,
  ) {}

  /** Where the layer's top level is; undefined for a layer built in code. */
  get topLevel(): Place | undefined {
    return this.source && { file: this.source.file, key: this.source.key };
  }

  /** Where `environment`'s own settings are in the layer: its file in environments/, or environments.<name> in the layer's file. */
  own(environment: string): Place | undefined {
    const file = this.source?.environmentFiles?.[environment];
    if (file) return { file, key: "" };
    return this.source && { file: this.source.file, key: joinKeys(this.source.key, "environments", environment) };
  }

  /** Whether the layer declares `environment` (has environments.<name>). */
  declares(environment: string): boolean {
    return Object.hasOwn(this.layer.environments ?? {}, environment);
  }

  /** Whether `environment` is declared in a file of its own (environments/<name>.json). */
  hasFileOf(environment: string): boolean {
    return this.source?.environmentFiles?.[environment] !== undefined;
  }
}

/**
 * Where the settings of `layers` (later ones winning, as they are merged) are written. Each
 * answer is the place of a part of a layer (its top level, or an environment's own settings),
 * which `placed` completes with the setting's path.
 */
export class SettingsPlaces {
  private readonly layers: LayerPlaces[];

  constructor(layers: readonly DeploymentSettings[]) {
    this.layers = layers.map((layer) => new LayerPlaces(layer, sourceOf(layer)));
  }

  /**
   * Where `environment` is declared: its file in environments/, else the first layer with a file
   * that declares it (cdktf.json's environments, then the DEPLOYMENT_SETTINGS file); what the
   * environment does not set itself would be set there. Undefined when no file declares it (dev
   * and prod when nothing names an environment, or layers built in code).
   */
  home(environment: string): Place | undefined {
    const declaring = this.layers.filter((l) => l.declares(environment));
    return (declaring.find((l) => l.hasFileOf(environment)) ?? declaring.find((l) => l.topLevel))?.own(environment);
  }

  /**
   * Where `environment` takes its setting `path` from: the last layer part that sets it, in the
   * order mergeEnvironment merges them (each layer's top level, then its environment's own
   * settings); `topLevel` when that is a top level, shared by every environment. A setting no layer
   * sets (a preset's value; `set` false) is placed in the environment's home, where it would be set.
   */
  ofEnvironment(environment: string, path: string): { readonly place?: Place; readonly topLevel: boolean; readonly set: boolean } {
    const keys = keysOf(path);
    const setters = this.layers.flatMap((layer) => {
      const { environments, personal: _personal, ...shared } = layer.layer;
      return [
        { layer, topLevel: true, sets: valueAt(shared, keys) !== undefined },
        { layer, topLevel: false, sets: valueAt(environments?.[environment], keys) !== undefined },
      ];
    });
    const last = keys.length > 0 ? setters.filter((s) => s.sets).at(-1) : undefined;
    if (!last) return { place: this.home(environment), topLevel: false, set: false };
    return { place: last.topLevel ? last.layer.topLevel : last.layer.own(environment), topLevel: last.topLevel, set: true };
  }

  /**
   * Where a top-level setting (`accountId`, `baseline.guardDuty`) is taken from: the top level of
   * the last layer that sets it; undefined when none does, or that layer was built in code.
   */
  ofTopLevel(path: string): Place | undefined {
    const keys = keysOf(path);
    return [...this.layers].reverse().find(({ layer }) => valueAt(layer, keys) !== undefined)?.topLevel;
  }

  /** Where `layer` (one of these) has its top level; undefined for a layer built in code. */
  topLevelOf(layer: DeploymentSettings): Place | undefined {
    return this.layers.find((l) => l.layer === layer)?.topLevel;
  }
}
