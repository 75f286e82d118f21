// resource.k8s.io (dynamic resource allocation) printers: DeviceClass, ResourceClaim,
// ResourceClaimTemplate, ResourceSlice.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, has, list, nameColumn, nameOf, printer, str } from "./util.js";

export const deviceClassPrinter: Printer = printer([nameColumn(), ageColumn()], (o, ctx) => [nameOf(o), ageOf(o, ctx)]);

export const resourceClaimTemplatePrinter: Printer = printer([nameColumn(), ageColumn()], (o, ctx) => [
  nameOf(o),
  ageOf(o, ctx),
]);

export const resourceClaimPrinter: Printer = printer(
  [
    nameColumn(),
    column("State", "string", "A summary of the current state (allocated, pending, reserved, etc.)."),
    ageColumn(),
  ],
  (o, ctx) => {
    const deleting = has(o, "metadata", "deletionTimestamp");
    const states: string[] = [];
    if (deleting) states.push("deleted");
    if (!has(o, "status", "allocation")) {
      if (!deleting) states.push("pending");
    } else {
      states.push("allocated");
      if (list(o, "status", "reservedFor").length > 0) states.push("reserved");
    }
    return [nameOf(o), states.join(","), ageOf(o, ctx)];
  },
);

export const resourceSlicePrinter: Printer = printer(
  [
    nameColumn(),
    column("Node", "string", "NodeName identifies the node which provides the resources in this pool. A field selector can be used to list only ResourceSlice objects belonging to a certain node.\n\nThis field can be used to limit access from nodes to ResourceSlices with the same node name. It also indicates to autoscalers that adding new nodes of the same type as some old node might also make new resources available.\n\nExactly one of NodeName, NodeSelector, AllNodes, and PerDeviceNodeSelection must be set. This field is immutable."),
    column("Driver", "string", "Driver identifies the DRA driver providing the capacity information. A field selector can be used to list only ResourceSlice objects with a certain driver name.\n\nMust be a DNS subdomain and should end with a DNS domain owned by the vendor of the driver. This field is immutable."),
    column("Pool", "string", "Name is used to identify the pool. For node-local devices, this is often the node name, but this is not required.\n\nIt must not be longer than 253 characters and must consist of one or more DNS sub-domains separated by slashes. This field is immutable."),
    ageColumn(),
  ],
  (o, ctx) => [nameOf(o), str(o, "spec", "nodeName"), str(o, "spec", "driver"), str(o, "spec", "pool", "name"), ageOf(o, ctx)],
);
