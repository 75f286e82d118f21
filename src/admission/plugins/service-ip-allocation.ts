// Service address allocation: cluster IPs from the service range, node ports.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function serviceIPAllocation(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
