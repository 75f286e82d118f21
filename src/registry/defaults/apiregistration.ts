// apiregistration.k8s.io/v1 (upstream k8s.io/kube-aggregator/pkg/apis/apiregistration/v1/defaults.go):
// an APIService's service reference defaults its port to 443.
import type { KubeObject } from "../../apimachinery/types.js";
import { child, isNil } from "./util.js";

export function defaultAPIService(svc: KubeObject): void {
  const ref = child(child(svc as Record<string, unknown>, "spec"), "service");
  if (ref && isNil(ref.port)) ref.port = 443;
}
