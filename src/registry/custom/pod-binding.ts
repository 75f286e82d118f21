// pods/binding (upstream pkg/registry/core/pod/storage BindingREST): how the scheduler binds a pod
// to a node. A POSTed Binding sets spec.nodeName, merges the binding's annotations into the pod's
// and marks it PodScheduled=True, all in one write of the stored pod that bypasses the pod's own
// strategy (no managedFields entry, as upstream). The answer is a bare Status Success.
import { ApiError, errors } from "../../apimachinery/errors.js";
import { aggregateMessages, FieldPath, fieldErrors, fieldErrorString, type FieldError } from "../../apimachinery/field-errors.js";
import { isPlainObject, type KubeObject, type Status } from "../../apimachinery/types.js";
import { formatTime } from "../../util/clock.js";
import type { RequestContext } from "../context.js";
import type { CustomSubresource } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";
import type { CustomSubresourceDeps } from "./index.js";

const BINDING_RESOURCE = { group: "", resource: "pods/binding" };

interface PodCondition {
  type?: string;
  status?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

/** A plain Go error surfaced by the handler: 500 with no reason, the error text as message. */
function plainError(message: string): ApiError {
  return new ApiError(500, "", message);
}

/** Upstream ValidatePodBinding (returned as an aggregate, not a StatusError). */
function validateBinding(binding: KubeObject): void {
  const target = isPlainObject(binding.target) ? (binding.target as { kind?: unknown; name?: unknown }) : {};
  const errs: FieldError[] = [];
  const kind = typeof target.kind === "string" ? target.kind : "";
  if (kind !== "" && kind !== "Node") errs.push(fieldErrors.notSupported(FieldPath.root("target", "kind"), kind, ["Node", "<empty>"]));
  if (typeof target.name !== "string" || target.name === "") errs.push(fieldErrors.required(FieldPath.root("target", "name")));
  if (errs.length) throw plainError(aggregateMessages(errs.map(fieldErrorString)));
}

/** Upstream podutil.UpdatePodCondition for PodScheduled=True (reason and message cleared). */
function setScheduledCondition(status: Record<string, unknown>, now: string): void {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as PodCondition[]) : [];
  const cond: PodCondition = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now };
  const i = conditions.findIndex((c) => c?.type === "PodScheduled");
  if (i < 0) {
    status.conditions = [...conditions, cond];
    return;
  }
  const old = conditions[i]!;
  if (old.status === cond.status) cond.lastTransitionTime = old.lastTransitionTime ?? null;
  const next = [...conditions];
  next[i] = cond;
  status.conditions = next;
}

/** The error a failed assignment answers with (upstream assignPod): API errors pass, others are a Conflict on pods/binding. */
class AssignError extends Error {}

/**
 * Binds the pod `name` as a POSTed Binding asks (upstream BindingREST.Create after its URL/body name
 * check). Shared by pods/binding and the legacy core/v1 bindings collection, whose name comes from
 * the Binding itself; `ctx` addresses the pod (its namespace) as the pods/binding subresource.
 */
export async function bindPod(store: ResourceStore, ctx: RequestContext, name: string, binding: KubeObject, opts: { dryRun: boolean }): Promise<Status> {
  const meta = isPlainObject(binding.metadata) ? binding.metadata : {};
  validateBinding(binding);
  // upstream's pod key function: a Binding without a name never reaches the pod
  if (name === "") throw errors.badRequest("Name parameter required.");
  const node = (binding.target as { name: string }).name;
  const annotations = isPlainObject(meta.annotations) ? (meta.annotations as Record<string, string>) : {};
  const pre = { uid: meta.uid || undefined, resourceVersion: meta.resourceVersion || undefined };
  try {
    await store.updateWith(
      ctx,
      name,
      (current) => current!,
      { dryRun: opts.dryRun },
      {
        prepare: (c, _obj, old) => {
          if (pre.uid !== undefined && pre.uid !== old.metadata.uid)
            throw errors.conflict({ group: "", resource: "pods" }, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid ?? ""}`);
          if (pre.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion)
            throw errors.conflict(
              { group: "", resource: "pods" },
              name,
              `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${old.metadata.resourceVersion ?? ""}`,
            );
          const pod = structuredClone(old) as KubeObject;
          const spec = (isPlainObject(pod.spec) ? pod.spec : (pod.spec = {})) as Record<string, unknown>;
          if (pod.metadata.deletionTimestamp) throw new AssignError(`pod ${name} is being deleted, cannot be assigned to a host`);
          if (typeof spec.nodeName === "string" && spec.nodeName !== "") throw new AssignError(`pod ${name} is already assigned to node "${spec.nodeName}"`);
          if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length !== 0) throw new AssignError(`pod ${name} has non-empty .spec.schedulingGates`);
          spec.nodeName = node;
          if (Object.keys(annotations).length) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
          const status = (isPlainObject(pod.status) ? pod.status : (pod.status = {})) as Record<string, unknown>;
          setScheduledCondition(status, formatTime(c.clock.now()));
          return pod;
        },
      },
    );
  } catch (err) {
    if (err instanceof AssignError) throw errors.conflict(BINDING_RESOURCE, name, err.message);
    throw err;
  }
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 } as Status;
}

/** The namespace check of upstream's create handler, for a Binding POSTed to a namespace. */
export function checkBindingNamespace(ctx: RequestContext, binding: KubeObject): void {
  const meta = isPlainObject(binding.metadata) ? binding.metadata : {};
  if (meta.namespace && ctx.namespace && meta.namespace !== ctx.namespace)
    throw errors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
}

export function podBinding(store: () => ResourceStore, _deps: CustomSubresourceDeps): CustomSubresource {
  return {
    kind: "Binding",
    rest: {
      create: async (ctx: RequestContext, binding: KubeObject, opts): Promise<Status> => {
        checkBindingNamespace(ctx, binding);
        const meta = isPlainObject(binding.metadata) ? binding.metadata : {};
        if ((meta.name ?? "") !== ctx.name) throw errors.badRequest("name in URL does not match name in Binding object");
        return bindPod(store(), ctx, ctx.name, binding, opts);
      },
    },
  };
}
