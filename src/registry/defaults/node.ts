// node.k8s.io/v1 has no defaulter; RuntimeClass's overhead quantities are written in canonical
// form (without ResourceList's milli rounding, which only core/v1 types get).
import type { KubeObject } from "../../apimachinery/types.js";
import { canonicalQuantityMap } from "./quantity.js";
import { obj } from "./util.js";

export function defaultRuntimeClass(rc: KubeObject): void {
  canonicalQuantityMap(obj(rc.overhead), "podFixed");
}
