// Where a webhook addressed by Service reaches its server (upstream's service resolver with
// endpoint routing, as kube-apiserver does with --enable-aggregator-routing): the first ready
// address of the Service's Endpoints, on the target port of the Service port named by the reference.
// Simulated pods have no network, so this reaches servers whose Endpoints a user wrote by hand
// (a Service without selector pointing at 127.0.0.1, say); otherwise it fails as an unreachable
// cluster IP would.
import { errors } from "../apimachinery/errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { StorageSet } from "../registry/storage-set.js";
import { resourcePrefix } from "../storage/keys.js";

export interface ServiceReference {
  namespace: string;
  name: string;
  port?: number;
  path?: string;
}

interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
}
interface EndpointSubset {
  addresses?: { ip?: string }[];
  ports?: { name?: string; port?: number }[];
}

function cached(storage: StorageSet, resource: string, namespace: string, name: string): KubeObject | undefined {
  return storage.cacherOf("", resource)?.get(`${resourcePrefix("", resource)}${namespace}/${name}`);
}

export function resolveServiceURL(storage: StorageSet, ref: ServiceReference): URL {
  const port = ref.port ?? 443;
  const svc = cached(storage, "services", ref.namespace, ref.name);
  if (!svc) throw errors.serviceUnavailable(`service "${ref.namespace}/${ref.name}" not found`);
  const svcPort = ((svc.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).find((p) => p.port === port);
  if (!svcPort) throw errors.serviceUnavailable(`no service port ${port} found for service "${ref.name}"`);
  const eps = cached(storage, "endpoints", ref.namespace, ref.name);
  for (const subset of (eps as { subsets?: EndpointSubset[] } | undefined)?.subsets ?? []) {
    const epPort = (subset.ports ?? []).find((p) => (p.name ?? "") === (svcPort.name ?? "")) ?? (subset.ports?.length === 1 ? subset.ports[0] : undefined);
    const ip = subset.addresses?.find((a) => a.ip)?.ip;
    if (ip && epPort?.port) {
      const host = ip.includes(":") ? `[${ip}]` : ip;
      return new URL(`https://${host}:${epPort.port}${ref.path ?? ""}`);
    }
  }
  throw errors.serviceUnavailable(`missing endpoints for service "${ref.namespace}/${ref.name}"`);
}
