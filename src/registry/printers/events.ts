// Event printers. Upstream serves core/v1 and events.k8s.io/v1 Events from one store and prints
// both through the internal core Event; the events.k8s.io shape is mapped onto core's fields here.
import { translateTimestampSince } from "../../apimachinery/duration.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { Printer } from "../printer.js";
import { column, get, has, int, nameOf, obj, parseTimestamp, printer, str, type Obj } from "./util.js";

/** The core Event fields the printer reads. */
interface EventView {
  type: string;
  reason: string;
  message: string;
  involvedObject: Obj;
  source: Obj;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: Obj | undefined;
}

function coreView(o: KubeObject): EventView {
  return {
    type: str(o, "type"),
    reason: str(o, "reason"),
    message: str(o, "message"),
    involvedObject: obj(o, "involvedObject"),
    source: obj(o, "source"),
    reportingController: str(o, "reportingComponent"),
    reportingInstance: str(o, "reportingInstance"),
    firstTimestamp: get(o, "firstTimestamp"),
    lastTimestamp: get(o, "lastTimestamp"),
    eventTime: get(o, "eventTime"),
    count: int(o, "count"),
    series: has(o, "series") ? obj(o, "series") : undefined,
  };
}

/** events.k8s.io/v1 -> core: regarding, note, deprecatedSource/FirstTimestamp/LastTimestamp/Count. */
function eventsView(o: KubeObject): EventView {
  return {
    type: str(o, "type"),
    reason: str(o, "reason"),
    message: str(o, "note"),
    involvedObject: obj(o, "regarding"),
    source: obj(o, "deprecatedSource"),
    reportingController: str(o, "reportingController"),
    reportingInstance: str(o, "reportingInstance"),
    firstTimestamp: get(o, "deprecatedFirstTimestamp"),
    lastTimestamp: get(o, "deprecatedLastTimestamp"),
    eventTime: get(o, "eventTime"),
    count: int(o, "deprecatedCount"),
    series: has(o, "series") ? obj(o, "series") : undefined,
  };
}

/** Upstream formatEventSource: component (or reporting controller), then `, host` when known. */
function eventSource(e: EventView): string {
  const component = str(e.source, "component") || e.reportingController;
  const host = str(e.source, "host") || e.reportingInstance;
  return host === "" ? component : `${component}, ${host}`;
}

function eventCells(e: EventView, name: string, now: number): unknown[] {
  const first =
    parseTimestamp(e.firstTimestamp) === undefined
      ? translateTimestampSince(e.eventTime, now)
      : translateTimestampSince(e.firstTimestamp, now);
  let last = parseTimestamp(e.lastTimestamp) === undefined ? first : translateTimestampSince(e.lastTimestamp, now);
  let count = e.count;
  if (e.series !== undefined) {
    last = translateTimestampSince(get(e.series, "lastObservedTime"), now);
    count = int(e.series, "count");
  } else if (count === 0) {
    // Singleton events don't have a count set in the new API.
    count = 1;
  }
  const kind = str(e.involvedObject, "kind").toLowerCase();
  const involvedName = str(e.involvedObject, "name");
  const target = involvedName !== "" ? `${kind}/${involvedName}` : kind;
  return [
    last,
    e.type,
    e.reason,
    target,
    str(e.involvedObject, "fieldPath"),
    eventSource(e),
    e.message.trim(),
    first,
    count,
    name,
  ];
}

const eventColumns = [
  column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
  column("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
  column("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column("Object", "string", "The object that this event is about."),
  column("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.", 1),
  column("Source", "string", "The component reporting this event. Should be a short machine understandable string.", 1),
  column("Message", "string", "A human-readable description of the status of this operation."),
  column("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
  column("Count", "string", "The number of times this event has occurred.", 1),
  column("Name", "string", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 1, "name"),
];

/** core/v1 Event. */
export const eventPrinter: Printer = printer(eventColumns, (o, ctx) => eventCells(coreView(o), nameOf(o), ctx.now));

/** events.k8s.io/v1 Event: the same table as core events. */
export const eventsEventPrinter: Printer = printer(eventColumns, (o, ctx) =>
  eventCells(eventsView(o), nameOf(o), ctx.now),
);
