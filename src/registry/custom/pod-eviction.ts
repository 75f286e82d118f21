// pods/eviction (upstream pkg/registry/core/pod/storage/eviction.go): POST an Eviction (policy/v1,
// or the identical policy/v1beta1 body) to delete a pod the way its PodDisruptionBudget allows.
// Terminal, pending and already deleting pods go at once; otherwise the one matching PDB must allow
// a disruption — its status.disruptionsAllowed is decremented and the pod recorded in
// status.disruptedPods before the pod is deleted — or the answer is 429 TooManyRequests. Unready
// pods may go without spending the budget when the application is healthy, or always with
// unhealthyPodEvictionPolicy AlwaysAllow. The deleted pod first gets the DisruptionTarget condition.
import { ApiError, errors } from "../../apimachinery/errors.js";
import { fromMetaLabelSelector, type MetaLabelSelector } from "../../apimachinery/labels.js";
import { isPlainObject, type KubeObject, type Status } from "../../apimachinery/types.js";
import { deepCopy } from "../../storage/codec.js";
import { formatTime } from "../../util/clock.js";
import type { RequestContext } from "../context.js";
import type { CustomSubresource } from "../definition.js";
import type { DeleteOptions, Preconditions, PropagationPolicy } from "../rest.js";
import type { ResourceStore } from "../resource-store.js";
import type { CustomSubresourceDeps } from "./index.js";

/** upstream MaxDisruptedPodSize. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** upstream EvictionsRetry: 20 steps. */
const EVICTION_RETRIES = 20;

export const DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";
export const EVICTION_429_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  conditions?: Record<string, unknown>[];
}

const isReason = (err: unknown, reason: string) => err instanceof ApiError && err.reason === reason;

function tooManyRequests(cause: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, "TooManyRequests", EVICTION_429_MESSAGE, {
    causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }],
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
}

/** upstream createTooManyRequestsError: the budget's status is behind its spec. */
function stillProcessing(pdbName: string): ApiError {
  return tooManyRequests(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
}

const pdbForbidden = (name: string, reason: string) => errors.forbidden({ group: "policy", resource: "poddisruptionbudget" }, name, reason);

function successStatus(): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
}

function podPhase(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? "";
}

function isPodReady(pod: KubeObject): boolean {
  const conditions = ((pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? []).filter(Boolean);
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** Terminal, pending and deleting pods need no budget (upstream canIgnorePDB). */
function canIgnorePDB(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === "Succeeded" || phase === "Failed" || phase === "Pending" || !!pod.metadata.deletionTimestamp;
}

function shouldEnforceResourceVersion(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return !(phase === "Succeeded" || phase === "Failed" || pod.metadata.deletionTimestamp);
}

const resourceVersionUnset = (o: DeleteOptions) => o.preconditions?.resourceVersion === undefined;
const withResourceVersion = (o: DeleteOptions, resourceVersion: string): DeleteOptions => ({ ...o, preconditions: { ...o.preconditions, resourceVersion } });

/** The Eviction's deleteOptions as store DeleteOptions, with the request's dry run (upstream propagateDryRun). */
function deleteOptionsOf(eviction: KubeObject, dryRun: boolean): DeleteOptions {
  const raw = isPlainObject(eviction.deleteOptions) ? (eviction.deleteOptions as Record<string, unknown>) : undefined;
  const bodyDryRun = Array.isArray(raw?.dryRun) ? (raw!.dryRun as string[]) : [];
  if (dryRun && bodyDryRun.length > 0 && !(bodyDryRun.length === 1 && bodyDryRun[0] === "All"))
    throw errors.internal(new Error(`Non-matching dry-run options in request and content: [All] and [${bodyDryRun.join(" ")}]`));
  const out: DeleteOptions = { dryRun: dryRun || bodyDryRun.includes("All") };
  if (!raw) return out;
  if (typeof raw.gracePeriodSeconds === "number") out.gracePeriodSeconds = raw.gracePeriodSeconds;
  if (isPlainObject(raw.preconditions)) {
    const p = raw.preconditions as { uid?: unknown; resourceVersion?: unknown };
    const pre: Preconditions = {};
    if (typeof p.uid === "string") pre.uid = p.uid;
    if (typeof p.resourceVersion === "string") pre.resourceVersion = p.resourceVersion;
    out.preconditions = pre;
  }
  if (typeof raw.propagationPolicy === "string") out.propagationPolicy = raw.propagationPolicy as PropagationPolicy;
  if (typeof raw.orphanDependents === "boolean") out.orphanDependents = raw.orphanDependents;
  return out;
}

/** upstream UpdatePodCondition for the eviction's DisruptionTarget condition. */
function withDisruptionTarget(pod: KubeObject, now: number): KubeObject {
  const next = deepCopy(pod);
  const status = ((next.status ??= {}) as { conditions?: Record<string, unknown>[] });
  const conditions = (status.conditions ??= []);
  const cond = {
    type: "DisruptionTarget",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: formatTime(now),
    reason: "EvictionByEvictionAPI",
    message: "Eviction API: evicting",
  };
  const i = conditions.findIndex((c) => c?.type === "DisruptionTarget");
  if (i < 0) conditions.push(cond);
  else {
    if (conditions[i]!.status === cond.status) cond.lastTransitionTime = conditions[i]!.lastTransitionTime as string;
    conditions[i] = cond;
  }
  return next;
}

/** The PDB's selector matches the pod (policy/v1: a nil selector matches nothing, {} everything). */
function pdbMatches(pdb: KubeObject, pod: KubeObject): boolean {
  try {
    return fromMetaLabelSelector((pdb.spec as { selector?: MetaLabelSelector | null } | undefined)?.selector).matches(pod.metadata.labels ?? {});
  } catch {
    return false;
  }
}

/** pdbhelper.UpdateDisruptionAllowedCondition (apimeta.SetStatusCondition). */
function updateDisruptionAllowedCondition(status: PdbStatus, now: number): void {
  const conditions = (status.conditions ??= []);
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  const want = { status: allowed ? "True" : "False", reason: allowed ? "SufficientPods" : "InsufficientPods", message: "" };
  const generation = status.observedGeneration ?? 0;
  const i = conditions.findIndex((c) => c.type === "DisruptionAllowed");
  const old = i >= 0 ? conditions[i]! : undefined;
  const cond = {
    type: "DisruptionAllowed",
    status: want.status,
    ...(generation ? { observedGeneration: generation } : {}),
    lastTransitionTime: old && old.status === want.status ? old.lastTransitionTime : formatTime(now),
    reason: want.reason,
    message: want.message,
  };
  if (i < 0) conditions.push(cond);
  else conditions[i] = cond;
}

export function podEviction(store: () => ResourceStore, deps: CustomSubresourceDeps): CustomSubresource {
  const pdbStore = (): ResourceStore => {
    const s = deps.storage.storeOf("policy", "poddisruptionbudgets");
    if (!s) throw new Error("store policy/poddisruptionbudgets is not installed");
    return s;
  };

  const podCtx = (ctx: RequestContext, subresource: string): RequestContext => ({ ...ctx, subresource });

  /** Adds DisruptionTarget (not on a dry run), then deletes the pod (upstream addConditionAndDeletePod). */
  async function addConditionAndDeletePod(ctx: RequestContext, name: string, options: DeleteOptions): Promise<void> {
    let opts = options;
    if (!opts.dryRun) {
      const updated = await store().updateWith(
        podCtx(ctx, "status"),
        name,
        (current) => {
          if (!current) throw errors.notFound({ group: "", resource: "pods" }, name);
          const pre = opts.preconditions;
          if (pre?.uid && pre.uid !== current.metadata.uid)
            throw errors.conflict(
              { group: "", resource: "Pod" },
              name,
              `the UID in the precondition (${pre.uid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`,
            );
          if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
            throw errors.conflict(
              { group: "", resource: "Pod" },
              name,
              `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`,
            );
          return withDisruptionTarget(current, ctx.clock.now());
        },
        { dryRun: false },
        "status",
      );
      // we changed the pod ourselves: a resourceVersion precondition moves with it
      if (!resourceVersionUnset(opts)) opts = withResourceVersion(opts, updated.object.metadata.resourceVersion!);
    }
    await store().delete(podCtx(ctx, ""), name, opts);
  }

  /** Verifies the budget allows one more disruption and spends it (upstream checkAndDecrement). */
  async function checkAndDecrement(ctx: RequestContext, podName: string, pdb: KubeObject, dryRun: boolean): Promise<void> {
    const name = pdb.metadata.name!;
    const status = deepCopy((pdb.status ?? {}) as PdbStatus);
    if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
    const allowed = status.disruptionsAllowed ?? 0;
    if (allowed < 0) throw pdbForbidden(name, "pdb disruptions allowed is negative");
    if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE)
      throw pdbForbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
    if (allowed === 0)
      throw tooManyRequests(`The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`, 0);
    status.disruptionsAllowed = allowed - 1;
    const now = ctx.clock.now();
    if (status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(status, now);
    if (dryRun) return;
    status.disruptedPods = { ...status.disruptedPods, [podName]: formatTime(now) };
    const next = deepCopy(pdb);
    next.status = status;
    await pdbStore().updateWith({ ...ctx, name, subresource: "status" }, name, () => next, { dryRun: false }, "status");
  }

  return {
    kind: "Eviction",
    group: "policy",
    version: "v1",
    rest: {
      create: async (ctx, eviction, createOpts) => {
        const name = ctx.name;
        if (eviction.apiVersion !== undefined && eviction.apiVersion !== "policy/v1" && eviction.apiVersion !== "policy/v1beta1")
          throw errors.badRequest(`not a Eviction object: ${eviction.apiVersion}`);
        if (name !== (eviction.metadata?.name ?? "")) throw errors.badRequest("name in URL does not match name in Eviction object");
        const original = deleteOptionsOf(eviction, createOpts.dryRun);
        const retryConflicts = resourceVersionUnset(original);

        // pods that need no budget go at once
        let pod: KubeObject | undefined;
        for (let attempt = 1; ; attempt++) {
          try {
            pod = await store().get(podCtx(ctx, ""), name, {});
            if (!canIgnorePDB(pod)) break;
            const opts = shouldEnforceResourceVersion(pod) && retryConflicts ? withResourceVersion(original, pod.metadata.resourceVersion!) : original;
            await addConditionAndDeletePod(ctx, name, opts);
            return successStatus();
          } catch (err) {
            if (retryConflicts && isReason(err, "Conflict") && attempt < EVICTION_RETRIES) continue;
            throw err;
          }
        }

        const pdbs = pdbStore()
          .listCached(pod.metadata.namespace ?? ctx.namespace)
          .filter((pdb) => pdbMatches(pdb, pod!));
        if (pdbs.length > 1)
          return {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            code: 500,
          } satisfies Status;

        let updateDeletionOptions = false;
        const pdb = pdbs[0];
        if (pdb) {
          const spec = (pdb.spec ?? {}) as { unhealthyPodEvictionPolicy?: string };
          const status = (pdb.status ?? {}) as PdbStatus;
          if (!isPodReady(pod)) {
            // an unready pod adds nothing to the budget: it may go when the application is
            // healthy anyway, or always when the budget says so
            if (spec.unhealthyPodEvictionPolicy === "AlwaysAllow") updateDeletionOptions = true;
            else if ((status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0) updateDeletionOptions = true;
          }
          if (!updateDeletionOptions) {
            let current = pdb;
            for (let attempt = 1; ; attempt++) {
              try {
                await checkAndDecrement(ctx, name, current, original.dryRun);
                break;
              } catch (err) {
                if (!isReason(err, "Conflict")) throw err;
                if (attempt >= EVICTION_RETRIES) throw errors.timeout(`couldn't update PodDisruptionBudget "${current.metadata.name}" due to conflicts`, 10);
                current = await pdbStore().get({ ...ctx, name: pdb.metadata.name!, subresource: "" }, pdb.metadata.name!, {});
              }
            }
          }
        }

        // the pod must not have become ready since the budget was judged without it
        const opts = updateDeletionOptions ? withResourceVersion(original, pod.metadata.resourceVersion!) : original;
        try {
          await addConditionAndDeletePod(ctx, name, opts);
        } catch (err) {
          if (isReason(err, "Conflict") && updateDeletionOptions && retryConflicts) throw stillProcessing(pdb!.metadata.name!);
          throw err;
        }
        return successStatus();
      },
    },
  };
}
