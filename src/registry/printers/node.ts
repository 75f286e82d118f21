// node.k8s.io printer: RuntimeClass.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, nameColumn, nameOf, printer, str } from "./util.js";

export const runtimeClassPrinter: Printer = printer(
  // Upstream takes the Handler description from ObjectMeta, which has no such field: it is empty.
  [nameColumn(), column("Handler", "string", ""), ageColumn()],
  (o, ctx) => [nameOf(o), str(o, "handler"), ageOf(o, ctx)],
);
