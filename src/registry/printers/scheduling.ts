// scheduling.k8s.io printer: PriorityClass.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, bool, column, int, nameColumn, nameOf, printer, str } from "./util.js";

export const priorityClassPrinter: Printer = printer(
  [
    nameColumn(),
    column("Value", "integer", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
    column("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority."),
    ageColumn(),
    column("PreemptionPolicy", "string", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."),
  ],
  (o, ctx) => [nameOf(o), int(o, "value"), bool(o, "globalDefault"), ageOf(o, ctx), str(o, "preemptionPolicy")],
);
