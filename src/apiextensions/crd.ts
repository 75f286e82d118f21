// Typed reading of a CustomResourceDefinition (apiextensions.k8s.io/v1) as stored, and its status
// conditions (upstream apihelpers: FindCRDCondition, SetCRDCondition, IsCRDConditionTrue).
import type { KubeObject } from "../apimachinery/types.js";
import type { JSONSchemaProps } from "./schema/types.js";

export interface CRDNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
}

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: { name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }[];
  selectableFields?: { jsonPath: string }[];
}

export interface CRDCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface WebhookClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  caBundle?: string;
}

export interface CRDSpec {
  group: string;
  names: CRDNames;
  scope: "Namespaced" | "Cluster";
  versions: CRDVersion[];
  conversion?: { strategy: "None" | "Webhook"; webhook?: { clientConfig?: WebhookClientConfig; conversionReviewVersions?: string[] } };
}

export interface CRDStatus {
  conditions?: CRDCondition[];
  acceptedNames?: Partial<CRDNames>;
  storedVersions?: string[];
}

export type CRD = KubeObject & { spec: CRDSpec; status?: CRDStatus };

export const CRD_GROUP = "apiextensions.k8s.io";
export const CRD_RESOURCE = { group: CRD_GROUP, version: "v1", resource: "customresourcedefinitions" };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** spec.names with Go's zero values for what is missing. */
export function specNames(crd: CRD): CRDNames {
  const n = (crd.spec?.names ?? {}) as Partial<CRDNames>;
  return {
    plural: n.plural ?? "",
    singular: n.singular ?? "",
    kind: n.kind ?? "",
    listKind: n.listKind ?? "",
    shortNames: list(n.shortNames),
    categories: list(n.categories),
  };
}

/** The names the server serves: status.acceptedNames (what the naming controller accepted). */
export function acceptedNames(crd: CRD): CRDNames {
  const n = (crd.status?.acceptedNames ?? {}) as Partial<CRDNames>;
  return {
    plural: n.plural ?? "",
    singular: n.singular ?? "",
    kind: n.kind ?? "",
    listKind: n.listKind ?? "",
    shortNames: list(n.shortNames),
    categories: list(n.categories),
  };
}

export function versionsOf(crd: CRD): CRDVersion[] {
  return Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
}

export function storageVersionOf(crd: CRD): string | undefined {
  return versionsOf(crd).find((v) => v.storage)?.name;
}

export function findCondition(crd: CRD, type: string): CRDCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(crd: CRD, type: string): boolean {
  return findCondition(crd, type)?.status === "True";
}

/**
 * Sets a condition (upstream SetCRDCondition): lastTransitionTime moves only when the status
 * changes; reason and message are replaced.
 */
export function setCondition(crd: CRD, cond: CRDCondition, now: string): void {
  const status = (crd.status ??= {});
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === cond.type);
  if (!existing) {
    conditions.push({ ...cond, lastTransitionTime: now });
    return;
  }
  if (existing.status !== cond.status) existing.lastTransitionTime = now;
  existing.status = cond.status;
  existing.reason = cond.reason ?? "";
  existing.message = cond.message ?? "";
}

export function removeCondition(crd: CRD, type: string): void {
  if (crd.status?.conditions) crd.status.conditions = crd.status.conditions.filter((c) => c.type !== type);
}
