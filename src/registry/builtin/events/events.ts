// events.k8s.io/v1 events: the same stored objects as core/v1 events (upstream stores both as
// cohabiting resources), converted on the way in and out. Field selectors use this group's field
// names and map onto the same selectable values (upstream pkg/apis/events/v1 field label conversion).
import type { KubeObject } from "../../../apimachinery/types.js";
import type { FieldGetter } from "../../definition.js";
import { defineResource } from "../../definition.js";
import { eventStrategy } from "../core/events.js";
import { asObject, asString } from "../strategy-helpers.js";
import { coreToEventsV1, eventsV1ToCore } from "./event-conversion.js";

// The getters accept either shape, so they hold whether the store evaluates them on the served
// object or on the stored core/v1 one.
const regarding = (key: string): FieldGetter => (o: KubeObject) => asString(asObject(o.regarding ?? o.involvedObject)?.[key]);

export const eventsV1FieldSelectors: Record<string, FieldGetter> = {
  "regarding.kind": regarding("kind"),
  "regarding.namespace": regarding("namespace"),
  "regarding.name": regarding("name"),
  "regarding.uid": regarding("uid"),
  "regarding.apiVersion": regarding("apiVersion"),
  "regarding.resourceVersion": regarding("resourceVersion"),
  "regarding.fieldPath": regarding("fieldPath"),
  reason: (o) => asString(o.reason),
  reportingController: (o) => asString(o.reportingController ?? o.reportingComponent),
  type: (o) => asString(o.type),
};

export const eventsV1 = defineResource({
  group: "events.k8s.io",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  schema: "io.k8s.api.events.v1.Event",
  fieldSelectors: eventsV1FieldSelectors,
  strategy: eventStrategy,
  storage: { group: "", resource: "events", toStorage: eventsV1ToCore, fromStorage: coreToEventsV1 },
});
