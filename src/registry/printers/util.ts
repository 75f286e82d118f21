// Shared pieces of the table printers: defensive accessors over plain JSON objects, column
// builders, and the formatting helpers several kinds share (labels, selectors, containers, lists).
import { parseTimestamp, translateTimestampSince } from "../../apimachinery/duration.js";
import { labelValueErrors, qualifiedNameErrors } from "../../apimachinery/labels.js";
import { isPlainObject, type KubeObject } from "../../apimachinery/types.js";
import type { PrintContext, Printer, TableColumnDefinition } from "../printer.js";

export type Obj = Record<string, unknown>;

/** The value at a path of object keys, or undefined when any step is missing or not an object. */
export function get(value: unknown, ...path: string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** True when the path holds a value (not undefined or null): a set pointer in Go terms. */
export function has(value: unknown, ...path: string[]): boolean {
  const v = get(value, ...path);
  return v !== undefined && v !== null;
}

/** A string field; "" (Go's zero value) for anything else. */
export function str(value: unknown, ...path: string[]): string {
  const v = get(value, ...path);
  return typeof v === "string" ? v : "";
}

/** An integer field; 0 for anything else. */
export function int(value: unknown, ...path: string[]): number {
  const v = get(value, ...path);
  return typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** A boolean field; false for anything else. */
export function bool(value: unknown, ...path: string[]): boolean {
  return get(value, ...path) === true;
}

/** An object field; {} for anything else. */
export function obj(value: unknown, ...path: string[]): Obj {
  const v = get(value, ...path);
  return isPlainObject(v) ? v : {};
}

/** An array field; [] for anything else. */
export function list(value: unknown, ...path: string[]): unknown[] {
  const v = get(value, ...path);
  return Array.isArray(v) ? v : [];
}

/** A map of strings (labels, selectors, annotations); non-string values are dropped. */
export function stringMap(value: unknown, ...path: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value, ...path))) if (typeof v === "string") out[k] = v;
  return out;
}

/** Number of entries of a map field (len() of a Go map). */
export function mapSize(value: unknown, ...path: string[]): number {
  return Object.keys(obj(value, ...path)).length;
}

/** Go's `<` on time.Time values, where an unset time is the zero time. */
export function timeBefore(a: number | undefined, b: number | undefined): boolean {
  return (a ?? -Infinity) < (b ?? -Infinity);
}

export { parseTimestamp };

// ---- columns -------------------------------------------------------------------------------

export const NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
export const CREATION_TIMESTAMP_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
export const CONTAINERS_DESCRIPTION = "Names of each container in the template.";
export const IMAGES_DESCRIPTION = "Images referenced by each container in the template.";

/** A column definition; priority 1 columns are the ones `kubectl get -o wide` adds. */
export function column(name: string, type: string, description: string, priority = 0, format = ""): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameColumn = (): TableColumnDefinition => column("Name", "string", NAME_DESCRIPTION, 0, "name");
export const ageColumn = (): TableColumnDefinition => column("Age", "string", CREATION_TIMESTAMP_DESCRIPTION);
export const containersColumn = (priority = 1): TableColumnDefinition =>
  column("Containers", "string", CONTAINERS_DESCRIPTION, priority);
export const imagesColumn = (priority = 1): TableColumnDefinition => column("Images", "string", IMAGES_DESCRIPTION, priority);

/** Builds a printer; cells receive the object and the print context. */
export function printer(columns: TableColumnDefinition[], cells: (o: KubeObject, ctx: PrintContext) => unknown[]): Printer {
  return { columns, cells };
}

/** metadata.name, "" when unset. */
export function nameOf(o: KubeObject): string {
  return str(o, "metadata", "name");
}

/** The AGE cell of an object. */
export function ageOf(o: KubeObject, ctx: PrintContext): string {
  return translateTimestampSince(get(o, "metadata", "creationTimestamp"), ctx.now);
}

// ---- formatting ------------------------------------------------------------------------------

/** labels.Set(m).String(): sorted `k=v` pairs joined with ",". */
export function labelsString(labels: Record<string, string>): string {
  return Object.keys(labels)
    .map((k) => `${k}=${labels[k]}`)
    .sort(compareStrings)
    .join(",");
}

/** labels.FormatLabels: the set's string form, `<none>` when empty. */
export function formatLabels(labels: Record<string, string>): string {
  return labelsString(labels) || "<none>";
}

/** Byte-wise string order, as Go's sort.Strings. */
export function compareStrings(a: string, b: string): number {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ab, bb);
}

const OPERATORS: Record<string, string> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

interface Requirement {
  key: string;
  op: string;
  values: string[];
}

function requirementString(r: Requirement): string {
  switch (r.op) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "=":
      return `${r.key}=${r.values[0] ?? ""}`;
  }
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(compareStrings).join(",");
  return `${r.key} ${r.op} (${values})`;
}

function requirementValid(r: Requirement): boolean {
  if (qualifiedNameErrors(r.key).length > 0) return false;
  if ((r.op === "in" || r.op === "notin") && r.values.length === 0) return false;
  if ((r.op === "exists" || r.op === "!") && r.values.length !== 0) return false;
  return r.values.every((v) => labelValueErrors(v).length === 0);
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(): undefined when the selector is invalid. A missing
 * selector selects nothing and an empty one everything; both print as "".
 */
export function labelSelectorString(sel: unknown): string | undefined {
  if (!isPlainObject(sel)) return "";
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(stringMap(sel, "matchLabels"))) reqs.push({ key, op: "=", values: [value] });
  for (const expr of list(sel, "matchExpressions")) {
    const op = OPERATORS[str(expr, "operator")];
    if (op === undefined) return undefined;
    const values = list(expr, "values").map((v) => (typeof v === "string" ? v : ""));
    reqs.push({ key: str(expr, "key"), op, values });
  }
  if (!reqs.every(requirementValid)) return undefined;
  reqs.sort((a, b) => compareStrings(a.key, b.key));
  return reqs.map(requirementString).join(",");
}

/** metav1.FormatLabelSelector: `<error>` when invalid, `<none>` when it prints empty. */
export function formatLabelSelector(sel: unknown): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return "<error>";
  return s || "<none>";
}

/** The names and images of a container list, each comma-joined (upstream layoutContainerCells). */
export function containerCells(containers: unknown[]): [string, string] {
  return [containers.map((c) => str(c, "name")).join(","), containers.map((c) => str(c, "image")).join(",")];
}

/** Upstream listWithMoreString: `a,b,c + 2 more...`, `<unset>` when the list is empty. */
export function listWithMore(items: string[], max = 3): string {
  const shown = items.slice(0, max).join(",");
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown || "<unset>";
}

/** Upstream printBoolPtr: `True`/`False`, `<unset>` for a nil pointer. */
export function boolPtr(value: unknown): string {
  if (value === true) return "True";
  if (value === false) return "False";
  return "<unset>";
}

/** IntOrString.String(): the integer in decimal or the string as is. */
export function intOrString(value: unknown): string {
  if (typeof value === "number") return String(Math.trunc(value));
  return typeof value === "string" ? value : "0";
}

/** The first condition of a type, or undefined. */
export function findCondition(conditions: unknown[], type: string): Obj | undefined {
  const c = conditions.find((c) => str(c, "type") === type);
  return isPlainObject(c) ? c : undefined;
}
