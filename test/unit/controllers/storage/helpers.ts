// Helpers for the storage controller tests: a cluster with the storage group (and optionally the
// scheduler) on a FakeClock, nodes written by the test, and builders for classes, volumes, claims
// and pods using them.
import { ApiError } from "../../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R, type GroupVersionResourceRef } from "../../../../src/client/interface.js";
import { createReadyNode, startCluster, type TestCluster } from "../../../helpers/cluster.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;
export type Kube = KubeObject & Obj;

export async function storageCluster(opts: { scheduler?: boolean; nodes?: string[] } = {}): Promise<TestCluster> {
  const c = await startCluster({ groups: ["storage", ...(opts.scheduler ? ["scheduler"] : [])], cluster: { nodes: 0 } });
  for (const name of opts.nodes ?? []) await createReadyNode(c, workerNode(name));
  await c.until(async () => (await get(c, R.serviceaccounts, "default", "default")) !== undefined, { what: "default ServiceAccount" });
  await c.until(async () => (await get(c, R.storageclasses, "", "standard")) !== undefined, { what: "the default StorageClass" });
  return c;
}

export function workerNode(name: string, labels: Record<string, string> = {}): KubeObject {
  const resources = { cpu: "4", memory: "8Gi", pods: "110", "ephemeral-storage": "100Gi" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...labels } },
    status: { capacity: resources, allocatable: resources },
  };
}

export async function get(c: TestCluster, gvr: GroupVersionResourceRef, ns: string, name: string): Promise<Kube | undefined> {
  try {
    return (await c.client.get(gvr, ns, name)) as Kube;
  } catch (err) {
    if (err instanceof ApiError && err.reason === "NotFound") return undefined;
    throw err;
  }
}

export const pvc = (c: TestCluster, ns: string, name: string) => get(c, R.persistentvolumeclaims, ns, name);
export const pv = (c: TestCluster, name: string) => get(c, R.persistentvolumes, "", name);

export async function namespace(c: TestCluster, name: string): Promise<string> {
  await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  await c.until(async () => (await get(c, R.serviceaccounts, name, "default")) !== undefined, { what: `ServiceAccount ${name}/default` });
  return name;
}

export function claim(name: string, spec: Obj = {}, meta: Obj = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, ...meta },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
  };
}

export function volume(name: string, size: string, spec: Obj = {}, meta: Obj = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, ...meta },
    spec: { capacity: { storage: size }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", hostPath: { path: `/mnt/data/${name}` }, ...spec },
  };
}

export function storageClass(name: string, fields: Obj = {}): KubeObject {
  return { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner: "kubernetes.io/no-provisioner", ...fields };
}

export function podWithClaim(name: string, claimName: string, spec: Obj = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      containers: [{ name: "app", image: "nginx:1.27", volumeMounts: [{ name: "data", mountPath: "/data" }] }],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
      ...spec,
    },
  };
}

export const phase = (o: Obj | undefined): string | undefined => o?.status?.phase;

/** Waits for a claim in the given phase and returns it. */
export function claimIn(c: TestCluster, ns: string, name: string, want: string, opts: { stepMs?: number; maxFakeMs?: number } = {}): Promise<Kube> {
  return c.until(async () => {
    const cur = await pvc(c, ns, name);
    return phase(cur) === want ? cur : undefined;
  }, { what: `claim ${ns}/${name} ${want}`, ...opts });
}

export function volumeIn(c: TestCluster, name: string, want: string, opts: { stepMs?: number; maxFakeMs?: number } = {}): Promise<Kube> {
  return c.until(async () => {
    const cur = await pv(c, name);
    return phase(cur) === want ? cur : undefined;
  }, { what: `volume ${name} ${want}`, ...opts });
}

/** "type reason: message [component]" of the events about an object. */
export async function eventLines(c: TestCluster, ns: string, name: string): Promise<string[]> {
  await c.settle(40);
  return ((await c.client.list(R.events, ns)).items as Obj[])
    .filter((e) => e.involvedObject?.name === name)
    .map((e) => `${e.type} ${e.reason}: ${e.message} [${e.source?.component ?? ""}]`);
}

export async function waitForEvent(c: TestCluster, ns: string, name: string, reason: string, opts: { stepMs?: number; maxFakeMs?: number } = {}): Promise<string> {
  return c.until(async () => (await eventLines(c, ns, name)).find((l) => l.includes(` ${reason}: `)), { what: `${reason} event on ${name}`, ...opts });
}

export async function forceDelete(c: TestCluster, gvr: GroupVersionResourceRef, ns: string, name: string): Promise<void> {
  await c.client.delete(gvr, ns, name, { gracePeriodSeconds: 0 });
}
