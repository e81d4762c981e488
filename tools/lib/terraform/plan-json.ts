/**
 * The machine-readable plan (`terraform show -json`) as this project's tools read it: the types at
 * the bottom of the library, so that the harness that produces plans and the review that reads
 * them both import them from here and neither from the other.
 */

/** The parts of a plan (`terraform show -json`) that the state is built from. */
export interface PlanForState {
  resource_changes?: {
    address: string;
    mode: string;
    type: string;
    name: string;
    index?: string | number;
    provider_name: string;
    change: { actions: string[]; after: any; after_unknown?: any; after_sensitive?: any };
  }[];
  planned_values?: { root_module?: { resources?: { address: string; schema_version: number }[] } };
  configuration?: {
    root_module?: {
      resources?: {
        address: string;
        mode?: string;
        provider_config_key?: string;
        expressions?: Record<string, { constant_value?: unknown; references?: string[] }>;
      }[];
    };
  };
}

/** One resource change of a plan (`terraform show -json`), as the review reads it. */
export interface ResourceChange {
  address: string;
  previous_address?: string;
  mode: string;
  type: string;
  name: string;
  index?: string | number;
  provider_name: string;
  action_reason?: string;
  change: {
    actions: string[];
    before: any;
    after: any;
    after_unknown?: any;
    replace_paths?: (string | number)[][];
  };
}

/** The plan JSON the review reads. */
export interface ReviewPlan extends PlanForState {
  resource_changes?: ResourceChange[];
  /** The state planned against, with the data sources read while planning. */
  prior_state?: {
    values?: { root_module?: { resources?: { address: string; mode: string; type?: string; name?: string; values: Record<string, unknown> }[] } };
  };
}
