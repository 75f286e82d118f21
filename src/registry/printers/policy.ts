// policy/v1 printer: PodDisruptionBudget.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, get, has, int, intOrString, nameColumn, nameOf, printer } from "./util.js";

export const podDisruptionBudgetPrinter: Printer = printer(
  [
    nameColumn(),
    column("Min Available", "string", "The minimum number of pods that must be available."),
    column("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
    column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    ageColumn(),
  ],
  (o, ctx) => [
    nameOf(o),
    has(o, "spec", "minAvailable") ? intOrString(get(o, "spec", "minAvailable")) : "N/A",
    has(o, "spec", "maxUnavailable") ? intOrString(get(o, "spec", "maxUnavailable")) : "N/A",
    int(o, "status", "disruptionsAllowed"),
    ageOf(o, ctx),
  ],
);
