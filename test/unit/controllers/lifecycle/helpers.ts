// Object builders for the lifecycle controller tests: an owner chain deployment → replicaset → pods
// written by hand (no apps controllers), so the garbage collector alone decides what goes.
import { ApiError } from "../../../../src/apimachinery/errors.js";
import type { KubeObject, OwnerReference } from "../../../../src/apimachinery/types.js";
import { R, type Client, type GroupVersionResourceRef } from "../../../../src/client/interface.js";
import type { TestCluster } from "../../../helpers/cluster.js";

export function ownerRef(owner: KubeObject, opts: { controller?: boolean; block?: boolean } = {}): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    ...(opts.controller === false ? {} : { controller: true }),
    ...(opts.block === false ? {} : { blockOwnerDeletion: true }),
  };
}

const podSpec = { containers: [{ name: "c", image: "nginx" }] };
const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: podSpec });

export async function createDeployment(client: Client, ns: string, name: string, labels = { app: name }): Promise<KubeObject> {
  return client.create(R.deployments, ns, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: template(labels) },
  });
}

export async function createReplicaSet(client: Client, ns: string, name: string, owners: OwnerReference[], labels: Record<string, string>, replicas = 2): Promise<KubeObject> {
  return client.create(R.replicasets, ns, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: ns, ownerReferences: owners, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels) },
  });
}

export async function createPod(
  client: Client,
  ns: string,
  name: string,
  opts: { owners?: OwnerReference[]; labels?: Record<string, string>; nodeName?: string; finalizers?: string[] } = {},
): Promise<KubeObject> {
  return client.create(R.pods, ns, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, ...(opts.owners ? { ownerReferences: opts.owners } : {}), labels: opts.labels ?? {}, ...(opts.finalizers ? { finalizers: opts.finalizers } : {}) },
    spec: { ...podSpec, ...(opts.nodeName ? { nodeName: opts.nodeName } : {}) },
  });
}

export async function createNamespace(c: TestCluster, name: string): Promise<KubeObject> {
  const ns = await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  // pods need the default ServiceAccount (the ServiceAccount controller's job)
  await c.until(() => exists(c.client, R.serviceaccounts, name, "default"), { what: `ServiceAccount ${name}/default` });
  return ns;
}

export async function get(client: Client, gvr: GroupVersionResourceRef, ns: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(gvr, ns, name);
  } catch (err) {
    if (err instanceof ApiError && err.reason === "NotFound") return undefined;
    throw err;
  }
}

export async function exists(client: Client, gvr: GroupVersionResourceRef, ns: string, name: string): Promise<boolean> {
  return (await get(client, gvr, ns, name)) !== undefined;
}

export async function gone(client: Client, gvr: GroupVersionResourceRef, ns: string, name: string): Promise<boolean> {
  return !(await exists(client, gvr, ns, name));
}

/** A Deployment with one ReplicaSet and `pods` pods, owned as the apps controllers own them. */
export async function chain(client: Client, ns: string, name: string, pods = 2): Promise<{ deployment: KubeObject; rs: KubeObject; pods: KubeObject[] }> {
  const labels = { app: name };
  const deployment = await createDeployment(client, ns, name, labels);
  const rs = await createReplicaSet(client, ns, `${name}-rs`, [ownerRef(deployment)], labels, pods);
  const list: KubeObject[] = [];
  for (let i = 0; i < pods; i++) list.push(await createPod(client, ns, `${name}-pod-${i}`, { owners: [ownerRef(rs)], labels }));
  return { deployment, rs, pods: list };
}
