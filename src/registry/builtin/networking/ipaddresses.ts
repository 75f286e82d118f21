// networking.k8s.io/v1 ipaddresses (upstream pkg/registry/networking/ipaddress; GA in 1.33 with
// MultiCIDRServiceAllocator). The name is the IP address itself, in canonical form; the closest
// generic rule is a path segment (IPv6 names contain ':'), the canonical-IP check is per-kind
// validation.
import { defineResource } from "../../definition.js";

export const ipaddresses = defineResource({
  group: "networking.k8s.io",
  version: "v1",
  kind: "IPAddress",
  plural: "ipaddresses",
  singular: "ipaddress",
  namespaced: false,
  shortNames: ["ip"],
  schema: "io.k8s.api.networking.v1.IPAddress",
  strategy: {
    nameValidation: "PathSegment",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
