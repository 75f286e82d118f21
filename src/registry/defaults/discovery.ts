// discovery.k8s.io/v1 defaulting (pkg/apis/discovery/v1/defaults.go): every port gets a name ("")
// and a protocol (TCP). `endpoints` and `ports` have no omitempty, so Go writes null for them.
import type { KubeObject } from "../../apimachinery/types.js";
import { type Json, defaultNil, items } from "./util.js";

export function defaultEndpointSlice(slice: KubeObject): void {
  const s = slice as Json;
  for (const key of ["endpoints", "ports"]) if (s[key] === undefined) s[key] = null;
  for (const port of items(s, "ports")) {
    defaultNil(port, "name", "");
    defaultNil(port, "protocol", "TCP");
  }
}
