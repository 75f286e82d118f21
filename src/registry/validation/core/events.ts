// core/v1 Events (upstream pkg/apis/core/validation/events.go, legacy validation as applied to
// writes through the core/v1 API).
import type { KubeObject } from "../../../apimachinery/types.js";
import { dnsSubdomain, qualifiedName } from "../common.js";
import { type FieldError, fieldErrors, objOr, root, str } from "../helpers.js";

export function validateEvent(ev: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? "";
  const involvedNs = str(objOr(ev.involvedObject).namespace);
  const mismatch = () => fieldErrors.invalid(root("involvedObject", "namespace"), involvedNs, "does not match event.namespace");
  if (!str(ev.eventTime)) {
    if (!involvedNs) {
      if (ns !== "" && ns !== "default") errs.push(mismatch());
    } else if (ns !== involvedNs) errs.push(mismatch());
  } else {
    if (!involvedNs && ns !== "default" && ns !== "kube-system") errs.push(mismatch());
    const rc = str(ev.reportingComponent);
    if (!rc) errs.push(fieldErrors.required("source"));
    errs.push(...qualifiedName(rc, "source"));
    const ri = str(ev.reportingInstance);
    if (!ri) errs.push(fieldErrors.required("reportingInstance"));
    if (ri.length > 128) errs.push(fieldErrors.invalid("reportingInstance", "", "can have at most 128 characters"));
    const action = str(ev.action);
    if (!action) errs.push(fieldErrors.required("action"));
    if (action.length > 128) errs.push(fieldErrors.invalid("action", "", "can have at most 128 characters"));
    const reason = str(ev.reason);
    if (!reason) errs.push(fieldErrors.required("reason"));
    if (reason.length > 128) errs.push(fieldErrors.invalid("reason", "", "can have at most 128 characters"));
    if (str(ev.message).length > 1024) errs.push(fieldErrors.invalid("message", "", "can have at most 1024 characters"));
  }
  errs.push(...dnsSubdomain(ns, "namespace"));
  return errs;
}
