// Table output of custom resources (upstream customresource/tableconvertor and the crdHandler's
// column defaulting): a Name column, then the version's additionalPrinterColumns — or, when it
// declares none, an Age column over .metadata.creationTimestamp. Each cell is the first result of
// the column's JSONPath: string columns print it as kubectl's JSONPath printer does, other types
// keep a value of their type (integers truncated), dates become a human duration ("5m"), and
// anything missing or mistyped is null.
import type { KubeObject } from "../apimachinery/types.js";
import { translateTimestampSince } from "../apimachinery/duration.js";
import type { PrintContext, Printer, TableColumnDefinition } from "../registry/printer.js";
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumn } from "../registry/printers/util.js";
import type { CRD, CRDVersion } from "./crd.js";
import { findResults, JSONPathError, parseJSONPath, printResult } from "./jsonpath.js";

type ColumnSpec = NonNullable<CRDVersion["additionalPrinterColumns"]>[number];

/** The column served when a version declares none (upstream serveDefaultColumnsIfEmpty). */
const DEFAULT_COLUMNS: ColumnSpec[] = [{ name: "Age", type: "date", description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: ".metadata.creationTimestamp" }];

/** RFC 3339 as Go's time.Parse(time.RFC3339, ...) accepts it (fractional seconds optional). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The cell of a non-string column (upstream cellForJSONValue). */
function cellForJSONValue(type: string, value: unknown, ctx: PrintContext): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "string":
      return typeof value === "string" ? value : null;
    case "date":
      if (typeof value !== "string") return null;
      // metav1.Time.UnmarshalQueryParameter: "" and "null" are the zero time
      if (value === "" || value === "null") return "<unknown>";
      if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) return "<invalid>";
      return translateTimestampSince(value, ctx.now);
    default:
      return null;
  }
}

/** The versions's columns, as upstream serves them (its own or the default Age column). */
export function printerColumnsOf(crd: KubeObject, version: string): ColumnSpec[] {
  const v = ((crd as CRD).spec?.versions ?? []).find((x) => x.name === version);
  const columns = Array.isArray(v?.additionalPrinterColumns) ? v.additionalPrinterColumns : [];
  return columns.length ? columns : DEFAULT_COLUMNS;
}

/**
 * The printer of one served version of a CRD (upstream tableconvertor.New). A column whose
 * jsonPath does not parse ends the list there, as upstream's partially built convertor does.
 */
export function crdPrinter(crd: KubeObject, version: string): Printer {
  const columns: TableColumnDefinition[] = [nameColumn()];
  const paths: { type: string; template: ReturnType<typeof parseJSONPath> }[] = [];
  for (const col of printerColumnsOf(crd, version)) {
    let template: ReturnType<typeof parseJSONPath>;
    try {
      template = parseJSONPath(`{${col.jsonPath ?? ""}}`);
    } catch {
      break;
    }
    paths.push({ type: col.type, template });
    columns.push({
      name: col.name,
      type: col.type,
      format: col.format ?? "",
      description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
      priority: col.priority ?? 0,
    });
  }
  return {
    columns,
    cells(obj: KubeObject, ctx: PrintContext): unknown[] {
      const cells: unknown[] = [obj.metadata?.name ?? ""];
      for (const { type, template } of paths) {
        let results: unknown[][];
        try {
          results = findResults(template, obj, { allowMissingKeys: true });
        } catch (e) {
          if (!(e instanceof JSONPathError)) throw e;
          cells.push(null);
          continue;
        }
        const first = results[0];
        if (!first || first.length === 0) {
          cells.push(null);
          continue;
        }
        // only the first result counts (upstream supports simple paths only)
        const value = first[0];
        cells.push(type === "string" ? printResult(value) : cellForJSONValue(type, value, ctx));
      }
      return cells;
    },
  };
}

/**
 * Upstream's check of a printer column's jsonPath in CRD validation (validateSimpleJSONPath): the
 * detail of the Invalid error, or undefined when acceptable.
 */
export function validatePrinterColumnJSONPath(path: string): string | undefined {
  if (path.length === 0) return "must not be empty";
  if (path[0] !== ".") return "must be a simple json path starting with .";
  return undefined;
}
