// Server-side transformations of responses: Table (kubectl get) and PartialObjectMetadata
// (metadata-only clients), as upstream's endpoints/handlers/response.go produces them.
import type { KubeObject, ListMeta } from "../apimachinery/types.js";
import type { Printer } from "../registry/printer.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export function partialObjectMetadata(obj: KubeObject, metaVersion: string): KubeObject {
  return { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${metaVersion}`, metadata: obj.metadata };
}

export function partialObjectMetadataList(items: KubeObject[], meta: ListMeta, metaVersion: string) {
  return {
    kind: "PartialObjectMetadataList",
    apiVersion: `meta.k8s.io/${metaVersion}`,
    metadata: meta,
    items: items.map((o) => partialObjectMetadata(o, metaVersion)),
  };
}

export interface TableOptions {
  includeObject: IncludeObject;
  metaVersion: string;
  now: number;
  /** Omit the column definitions (every watch event after the first). */
  noHeaders?: boolean;
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === "None" || value === "Object" ? value : "Metadata";
}

export function toTable(printer: Printer, objects: KubeObject[], meta: ListMeta, opts: TableOptions) {
  const rows = objects.map((obj) => {
    const row: { cells: unknown[]; conditions?: unknown[]; object?: KubeObject } = { cells: printer.cells(obj, { now: opts.now }) };
    const conditions = printer.rowConditions?.(obj);
    if (conditions?.length) row.conditions = conditions;
    if (opts.includeObject === "Object") row.object = obj;
    else if (opts.includeObject === "Metadata") row.object = partialObjectMetadata(obj, opts.metaVersion);
    return row;
  });
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${opts.metaVersion}`,
    metadata: meta,
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows,
  };
}
