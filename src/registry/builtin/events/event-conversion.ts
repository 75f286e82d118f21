// core/v1 Event <-> events.k8s.io/v1 Event, as upstream converts through the internal type
// (pkg/apis/events/v1/conversion.go): both groups store the same core/v1 object. Field names differ
// (involvedObject/regarding, message/note, source/deprecatedSource, reportingComponent/
// reportingController, firstTimestamp/deprecatedFirstTimestamp, ...). The output carries the fields
// Go's encoder would write for the target type: zero-valued struct and time fields without
// omitempty effect (null / {}), empty omitempty strings and counts dropped.
import type { KubeObject } from "../../../apimachinery/types.js";
import { asString, buildObject as build, deepCopy } from "../strategy-helpers.js";

type Json = Record<string, unknown>;

const nonEmptyString = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const nonZeroNumber = (v: unknown): number | undefined => (typeof v === "number" && v !== 0 ? v : undefined);
const objectOrEmpty = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? deepCopy(v as Json) : {});
const timeOrNull = (v: unknown): unknown => (typeof v === "string" && v !== "" ? v : null);
const present = (v: unknown): unknown => (v === undefined || v === null ? undefined : deepCopy(v));

/** events.k8s.io/v1 Event -> core/v1 Event (the storage form). */
export function eventsV1ToCore(ev: KubeObject): KubeObject {
  return build([
    ["kind", "Event"],
    ["apiVersion", "v1"],
    ["metadata", deepCopy(ev.metadata)],
    ["involvedObject", objectOrEmpty(ev.regarding)],
    ["reason", nonEmptyString(ev.reason)],
    ["message", nonEmptyString(ev.note)],
    ["source", objectOrEmpty(ev.deprecatedSource)],
    ["firstTimestamp", timeOrNull(ev.deprecatedFirstTimestamp)],
    ["lastTimestamp", timeOrNull(ev.deprecatedLastTimestamp)],
    ["count", nonZeroNumber(ev.deprecatedCount)],
    ["type", nonEmptyString(ev.type)],
    ["eventTime", timeOrNull(ev.eventTime)],
    ["series", present(ev.series)],
    ["action", nonEmptyString(ev.action)],
    ["related", present(ev.related)],
    ["reportingComponent", asString(ev.reportingController)],
    ["reportingInstance", asString(ev.reportingInstance)],
  ]) as KubeObject;
}

/** core/v1 Event (the storage form) -> events.k8s.io/v1 Event. */
export function coreToEventsV1(ev: KubeObject): KubeObject {
  return build([
    ["kind", "Event"],
    ["apiVersion", "events.k8s.io/v1"],
    ["metadata", deepCopy(ev.metadata)],
    ["eventTime", timeOrNull(ev.eventTime)],
    ["series", present(ev.series)],
    ["reportingController", nonEmptyString(ev.reportingComponent)],
    ["reportingInstance", nonEmptyString(ev.reportingInstance)],
    ["action", nonEmptyString(ev.action)],
    ["reason", nonEmptyString(ev.reason)],
    ["regarding", objectOrEmpty(ev.involvedObject)],
    ["related", present(ev.related)],
    ["note", nonEmptyString(ev.message)],
    ["type", nonEmptyString(ev.type)],
    ["deprecatedSource", objectOrEmpty(ev.source)],
    ["deprecatedFirstTimestamp", timeOrNull(ev.firstTimestamp)],
    ["deprecatedLastTimestamp", timeOrNull(ev.lastTimestamp)],
    ["deprecatedCount", nonZeroNumber(ev.count)],
  ]) as KubeObject;
}
