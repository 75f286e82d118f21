// Enumerated pod fields. Upstream's defaulting fills them, so a missing value is not reported
// (upstream would see the default); a present, unknown value is NotSupported with upstream's list.
import { type FieldError, FieldPath, fieldErrors, str } from "../helpers.js";

function oneOf(v: unknown, p: FieldPath, valid: string[]): FieldError[] {
  const s = str(v);
  if (s === "") return []; // defaulted upstream
  return valid.includes(s) ? [] : [fieldErrors.notSupported(p, s, valid)];
}

export const validatePullPolicy = (v: unknown, p: FieldPath) => oneOf(v, p, ["Always", "IfNotPresent", "Never"]);
export const validateRestartPolicy = (v: unknown, p: FieldPath) => oneOf(v, p, ["Always", "OnFailure", "Never"]);
export const validateDNSPolicy = (v: unknown, p: FieldPath) => oneOf(v, p, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]);
export const validateTerminationMessagePolicy = (v: unknown, p: FieldPath) => oneOf(v, p, ["File", "FallbackToLogsOnError"]);
export const validatePreemptionPolicy = (v: unknown, p: FieldPath) => oneOf(v, p, ["PreemptLowerPriority", "Never"]);
export const PROTOCOLS = ["SCTP", "TCP", "UDP"];
export const validateProtocol = (v: unknown, p: FieldPath) => oneOf(v, p, PROTOCOLS);
