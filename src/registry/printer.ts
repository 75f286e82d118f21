// Table conversion (upstream TableConvertor): the columns `kubectl get` prints for a kind.
import type { KubeObject } from "../apimachinery/types.js";

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface PrintContext {
  /** The current time in ms (from the server's Clock), for AGE-like columns. */
  now: number;
}

/** Prints one kind: its column definitions and the cells of one object's row, aligned with them. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Printer {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, ctx: PrintContext): unknown[];
  /** Row conditions upstream attaches (a finished pod's row is "Completed"). */
  rowConditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
