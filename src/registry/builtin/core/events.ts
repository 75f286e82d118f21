// core/v1 events (upstream pkg/registry/core/event), the storage owner of events.k8s.io/v1 events.
// Upstream keeps events for the apiserver's --event-ttl (1h by default) and never garbage-collects
// them through owner references.
import type { KubeObject } from "../../../apimachinery/types.js";
import type { FieldGetter, Strategy } from "../../definition.js";
import { defineResource } from "../../definition.js";
import { asObject, asString } from "../strategy-helpers.js";

/** Default lifetime of an event in storage (kube-apiserver --event-ttl). */
export const EVENT_TTL_SECONDS = 3600;

export const eventStrategy: Strategy = {
  nameValidation: "DNS1123Subdomain",
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
};

const involved = (key: string) => (o: KubeObject) => asString(asObject(o.involvedObject)?.[key]);

/** upstream event.ToSelectableFields over the core/v1 shape. */
export const coreEventFieldSelectors: Record<string, FieldGetter> = {
  "involvedObject.kind": involved("kind"),
  "involvedObject.namespace": involved("namespace"),
  "involvedObject.name": involved("name"),
  "involvedObject.uid": involved("uid"),
  "involvedObject.apiVersion": involved("apiVersion"),
  "involvedObject.resourceVersion": involved("resourceVersion"),
  "involvedObject.fieldPath": involved("fieldPath"),
  reason: (o) => asString(o.reason),
  reportingComponent: (o) => asString(o.reportingComponent),
  source: (o) => asString(asObject(o.source)?.component) || asString(o.reportingComponent),
  type: (o) => asString(o.type),
};

export const events = defineResource({
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  schema: "io.k8s.api.core.v1.Event",
  fieldSelectors: coreEventFieldSelectors,
  strategy: eventStrategy,
});
