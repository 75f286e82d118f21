// discovery.k8s.io printer: EndpointSlice.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, has, int, list, listWithMore, nameColumn, nameOf, printer, str } from "./util.js";

/** Upstream formatDiscoveryPorts: port numbers (or names, or `*`), at most three. */
export function formatSlicePorts(ports: unknown[]): string {
  return listWithMore(
    ports.map((p) => (has(p, "port") ? String(int(p, "port")) : has(p, "name") ? str(p, "name") : "*")),
  );
}

/** Upstream formatDiscoveryEndpoints: the addresses of all endpoints, at most three. */
export function formatSliceEndpoints(endpoints: unknown[]): string {
  return listWithMore(
    endpoints.flatMap((e) => list(e, "addresses").map((a) => (typeof a === "string" ? a : ""))),
  );
}

export const endpointSlicePrinter: Printer = printer(
  [
    nameColumn(),
    column("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."),
    column("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports."),
    column("Endpoints", "string", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
    ageColumn(),
  ],
  (o, ctx) => [
    nameOf(o),
    str(o, "addressType"),
    formatSlicePorts(list(o, "ports")),
    formatSliceEndpoints(list(o, "endpoints")),
    ageOf(o, ctx),
  ],
);
