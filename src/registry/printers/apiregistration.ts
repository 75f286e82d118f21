// apiregistration.k8s.io printer: APIService (kube-aggregator's table convertor).
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, findCondition, has, list, nameColumn, nameOf, printer, str } from "./util.js";

export const apiServicePrinter: Printer = printer(
  [
    nameColumn(),
    column("Service", "string", "The reference to the service that hosts this API endpoint."),
    column("Available", "string", "Whether this service is available."),
    ageColumn(),
  ],
  (o, ctx) => {
    const service = has(o, "spec", "service")
      ? `${str(o, "spec", "service", "namespace")}/${str(o, "spec", "service", "name")}`
      : "Local";
    let available = "Unknown";
    const c = findCondition(list(o, "status", "conditions"), "Available");
    if (c !== undefined) {
      const status = str(c, "status");
      const reason = str(c, "reason");
      available = status !== "True" && reason !== "" ? `${status} (${reason})` : status;
    }
    return [nameOf(o), service, available, ageOf(o, ctx)];
  },
);
