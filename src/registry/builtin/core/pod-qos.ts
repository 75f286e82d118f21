// The pod's QoS class, computed on create as upstream's qos.GetPodQOS does: only cpu and memory
// count, summed over containers and init containers; Guaranteed needs cpu and memory limits on every
// container and requests equal to limits. Requests left unset default to the limits (upstream's
// defaulting runs before the computation), so that rule is applied here to the effective values.
import type { KubeObject } from "../../../apimachinery/types.js";
import { parseQuantity } from "../quantity.js";
import { asArray, asObject, specOf } from "../strategy-helpers.js";

export type PodQOSClass = "Guaranteed" | "Burstable" | "BestEffort";

const QOS_RESOURCES = ["cpu", "memory"] as const;

function positiveAmounts(list: unknown): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const resources = asObject(list) ?? {};
  for (const name of QOS_RESOURCES) {
    if (!(name in resources)) continue;
    const amount = parseQuantity(resources[name]);
    if (amount !== undefined && amount > 0n) out.set(name, amount);
  }
  return out;
}

function add(into: Map<string, bigint>, from: Map<string, bigint>): void {
  for (const [name, amount] of from) into.set(name, (into.get(name) ?? 0n) + amount);
}

export function computePodQOSClass(pod: KubeObject): PodQOSClass {
  const spec = specOf(pod);
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...asArray(spec.containers), ...asArray(spec.initContainers)]) {
    const resources = asObject(asObject(c)?.resources) ?? {};
    const rawRequests = { ...(asObject(resources.limits) ?? {}), ...(asObject(resources.requests) ?? {}) };
    const containerLimits = positiveAmounts(resources.limits);
    add(requests, positiveAmounts(rawRequests));
    add(limits, containerLimits);
    if (!QOS_RESOURCES.every((r) => containerLimits.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}
