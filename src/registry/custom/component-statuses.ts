// core/v1 componentstatuses (upstream pkg/registry/core/componentstatus): read-only, computed on
// every request, never stored. Upstream probes the controller manager's and the scheduler's
// /healthz and each etcd backend; here the probe is injected (the embedded store is always
// healthy). Deprecated since 1.19: every request carries upstream's warning.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeList, KubeObject } from "../../apimachinery/types.js";
import type { RequestContext } from "../context.js";
import { defineResource, type ResourceDefinition } from "../definition.js";
import { componentStatusPrinter } from "../printers/core.js";
import type { ListOptions } from "../rest.js";
import { selectionFilter } from "../selection.js";

export const COMPONENT_STATUS_DEPRECATION_WARNING = "v1 ComponentStatus is deprecated in v1.19+";

/** Upstream's servers to validate, in the order we list them. */
export const COMPONENTS = ["scheduler", "controller-manager", "etcd-0"] as const;

/** One health check's outcome (upstream DoServerCheck: probe result, message, error). */
export interface ComponentHealth {
  status: "True" | "False" | "Unknown";
  message: string;
  error?: string;
}

/** What a healthy component answers: its /healthz body "ok", and "ok" for a probed etcd. */
const HEALTHY: ComponentHealth = { status: "True", message: "ok" };

export type ComponentProbe = (component: string) => ComponentHealth;

const alwaysHealthy: ComponentProbe = () => HEALTHY;

/** Upstream getComponentStatus: the name and one Healthy condition (creationTimestamp null, as Go writes it). */
function componentStatus(name: string, h: ComponentHealth): KubeObject {
  const condition: Record<string, unknown> = { type: "Healthy", status: h.status };
  if (h.message) condition.message = h.message;
  if (h.error) condition.error = h.error;
  return { kind: "ComponentStatus", apiVersion: "v1", metadata: { name, creationTimestamp: null }, conditions: [condition] } as KubeObject;
}

export function componentStatusesResource(probe: ComponentProbe = alwaysHealthy): ResourceDefinition {
  const def: ResourceDefinition = defineResource({
    group: "",
    version: "v1",
    kind: "ComponentStatus",
    plural: "componentstatuses",
    singular: "componentstatus",
    namespaced: false,
    shortNames: ["cs"],
    schema: "io.k8s.api.core.v1.ComponentStatus",
    verbs: ["get", "list"],
    printer: componentStatusPrinter,
    deprecated: { warning: COMPONENT_STATUS_DEPRECATION_WARNING },
    rest: {
      get: async (_ctx: RequestContext, name: string) => {
        // a plain Go error upstream: 500 with no reason
        if (!(COMPONENTS as readonly string[]).includes(name)) throw new ApiError(500, "", `Component not found: ${name}`);
        return componentStatus(name, probe(name));
      },
      // Selectors are applied although components carry no labels (upstream filters too).
      list: async (_ctx: RequestContext, opts: ListOptions): Promise<KubeList> => {
        const filter = selectionFilter(def, opts);
        const items = COMPONENTS.map((n) => componentStatus(n, probe(n))).filter((o) => filter.matches(o));
        return { kind: "ComponentStatusList", apiVersion: "v1", metadata: {}, items };
      },
    },
  });
  return def;
}
