// The runtime registry of served resources: built-in declarations at start-up, CRDs added and removed
// at runtime. Discovery, OpenAPI and the dispatcher read it at request time, so adding a resource
// never adds routes.
import type { ResourceDefinition } from "./definition.js";

/**
 * Group order of the real kube-apiserver's discovery (its apiVersionPriorities): higher first,
 * ties by name. Groups not listed (CRDs) rank below all of them.
 */
const GROUP_PRIORITY: Record<string, number> = {
  "": 18000,
  "apiregistration.k8s.io": 17800,
  apps: 17800,
  "events.k8s.io": 17750,
  "authentication.k8s.io": 17700,
  "authorization.k8s.io": 17600,
  autoscaling: 17500,
  batch: 17400,
  "certificates.k8s.io": 17300,
  "networking.k8s.io": 17200,
  policy: 17100,
  "rbac.authorization.k8s.io": 17000,
  "storage.k8s.io": 16800,
  "admissionregistration.k8s.io": 16700,
  "apiextensions.k8s.io": 16700,
  "scheduling.k8s.io": 16600,
  "coordination.k8s.io": 16500,
  "node.k8s.io": 16300,
  "discovery.k8s.io": 16200,
  "flowcontrol.apiserver.k8s.io": 16100,
  "resource.k8s.io": 15900,
};

/** Version priority within a group: higher first (autoscaling/v2 before v1). */
const VERSION_PRIORITY: Record<string, number> = {
  "autoscaling/v2": 30,
  "authentication.k8s.io/v1": 15,
  "authentication.k8s.io/v1beta1": 9,
};

/** Kubernetes version ordering (upstream version.CompareKubeAwareVersionStrings): v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > other. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return { ok: false, major: 0, stage: 0, minor: 0 };
    const stage = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
    return { ok: true, major: Number(m[1]), stage, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa.ok !== pb.ok) return pa.ok ? -1 : 1;
  if (!pa.ok) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.stage === 3 && pb.stage === 3) return pb.major - pa.major;
  if (pa.stage !== pb.stage) {
    if (pa.stage === 3) return -1;
    if (pb.stage === 3) return 1;
  }
  if (pa.major !== pb.major) return pb.major - pa.major;
  if (pa.stage !== pb.stage) return pb.stage - pa.stage;
  return pb.minor - pa.minor;
}

export interface GroupVersions {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
}

const gvrKey = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;

export class Registry {
  private readonly byGVR = new Map<string, ResourceDefinition>();
  private readonly listeners = new Set<() => void>();
  private changeCount = 0;

  /** Increments on every add/remove; caches of discovery and OpenAPI key on it. */
  get generation(): number {
    return this.changeCount;
  }

  add(def: ResourceDefinition): void {
    this.byGVR.set(gvrKey(def.group, def.version, def.plural), def);
    this.changed();
  }

  remove(group: string, version: string, plural: string): void {
    if (this.byGVR.delete(gvrKey(group, version, plural))) this.changed();
  }

  lookup(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.byGVR.get(gvrKey(group, version, resource));
  }

  /** The resource serving a kind in a group/version (for manifests addressed by kind). */
  lookupKind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    for (const def of this.byGVR.values()) if (def.group === group && def.version === version && def.kind === kind) return def;
    return undefined;
  }

  all(): ResourceDefinition[] {
    return [...this.byGVR.values()];
  }

  /** Groups in discovery order with their versions, preferred first. */
  groups(): GroupVersions[] {
    const versions = new Map<string, Set<string>>();
    for (const def of this.byGVR.values()) {
      let set = versions.get(def.group);
      if (!set) versions.set(def.group, (set = new Set()));
      set.add(def.version);
    }
    const prio = (g: string) => GROUP_PRIORITY[g] ?? 1000;
    return [...versions.entries()]
      .sort(([a], [b]) => prio(b) - prio(a) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, set]) => ({
        group,
        versions: [...set].sort((a, b) => {
          const pa = VERSION_PRIORITY[`${group}/${a}`] ?? 15;
          const pb = VERSION_PRIORITY[`${group}/${b}`] ?? 15;
          return pb - pa || compareKubeVersions(a, b);
        }),
      }));
  }

  /** Resources of one group/version, sorted by name as upstream discovery lists them. */
  resources(group: string, version: string): ResourceDefinition[] {
    return [...this.byGVR.values()]
      .filter((d) => d.group === group && d.version === version)
      .sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
  }

  /** Calls fn after every change; returns an unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.changeCount++;
    for (const fn of this.listeners) fn();
  }
}
