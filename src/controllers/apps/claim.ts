// upstream ControllerRefManager (pkg/controller/controller_ref_manager.go): a controller claims the
// objects its selector matches — adopting orphans with a strategic-merge patch that adds its
// controllerRef, releasing objects it owns that no longer match — after re-reading itself from
// the API once to be sure it is not being deleted.
import type { KubeObject, OwnerReference } from "../../apimachinery/types.js";
import { isApiError } from "../../apimachinery/errors.js";
import type { LabelSelector } from "../../apimachinery/labels.js";
import type { Client, GroupVersionResourceRef } from "../../client/interface.js";
import { controllerRef } from "../runtime/owner-refs.js";

export interface ClaimContext {
  client: Client;
  /** The dependents' resource (pods, replicasets). */
  gvr: GroupVersionResourceRef;
  owner: KubeObject;
  ownerRef: OwnerReference;
  selector: LabelSelector;
  /** Re-reads the owner from the API; rejects when it is gone or being deleted. */
  recheck: () => Promise<void>;
  /** An extra condition an orphan must meet to be adopted. */
  filter?: (obj: KubeObject) => boolean;
  /** selector.matches(labels), possibly cached. */
  matches?: (obj: KubeObject) => boolean;
  /** The UID of the object's controller, possibly cached. */
  controllerUID?: (obj: KubeObject) => string | undefined;
}

function notFound(err: unknown): boolean {
  return isApiError(err) && err.code === 404;
}

/** Adoption patch body (upstream ownerRefControllerPatch). */
export function adoptPatch(ownerRef: OwnerReference, dependentUID: string): unknown {
  return { metadata: { ownerReferences: [ownerRef], uid: dependentUID } };
}

/** Release patch body (upstream GenerateDeleteOwnerRefStrategicMergeBytes). */
export function releasePatch(ownerUID: string, dependentUID: string): unknown {
  return { metadata: { uid: dependentUID, ownerReferences: [{ $patch: "delete", uid: ownerUID }] } };
}

/** Recheck of an owner read fresh from the API (upstream RecheckDeletionTimestamp). */
export function recheckOwner(client: Client, gvr: GroupVersionResourceRef, owner: KubeObject): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () =>
    (done ??= (async () => {
      const m = owner.metadata;
      let fresh: KubeObject;
      try {
        fresh = await client.get(gvr, m.namespace ?? "", m.name!);
      } catch (err) {
        throw new Error(`can't recheck DeletionTimestamp: ${(err as Error).message}`);
      }
      if (fresh.metadata.uid !== m.uid)
        throw new Error(`can't recheck DeletionTimestamp: original ${owner.kind} ${m.namespace}/${m.name} is gone: got uid ${fresh.metadata.uid}, wanted ${m.uid}`);
      if (fresh.metadata.deletionTimestamp) throw new Error(`${m.namespace}/${m.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    })());
}

/**
 * Claims objs for the owner: returns the ones it owns after adoption and release. Errors are
 * collected; the first is thrown after every object was tried (the controller retries).
 */
export async function claimObjects<T extends KubeObject>(objs: T[], c: ClaimContext): Promise<T[]> {
  const claimed: T[] = [];
  const errs: unknown[] = [];
  const ownerUID = c.owner.metadata.uid!;
  const ownerDeleting = !!c.owner.metadata.deletionTimestamp;
  const pending: Promise<void>[] = [];
  for (const obj of objs) {
    const refUID = c.controllerUID ? c.controllerUID(obj) : controllerRef(obj)?.uid;
    const matches = c.matches ? c.matches(obj) : c.selector.matches(obj.metadata.labels);
    if (refUID !== undefined) {
      if (refUID !== ownerUID) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      pending.push(
        (async () => {
          try {
            await c.client.patch(c.gvr, obj.metadata.namespace ?? "", obj.metadata.name!, "strategic", releasePatch(ownerUID, obj.metadata.uid!));
          } catch (err) {
            // gone, or re-created under the same name (the uid precondition fails): nothing to release
            if (!notFound(err) && !(isApiError(err) && err.code === 422)) errs.push(err);
          }
        })(),
      );
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata.deletionTimestamp) continue;
    if (c.owner.metadata.namespace && c.owner.metadata.namespace !== obj.metadata.namespace) continue;
    if (c.filter && !c.filter(obj)) continue;
    pending.push(
      (async () => {
        try {
          await c.recheck();
          const adopted = await c.client.patch(c.gvr, obj.metadata.namespace ?? "", obj.metadata.name!, "strategic", adoptPatch(c.ownerRef, obj.metadata.uid!));
          claimed.push(adopted as T);
        } catch (err) {
          if (!notFound(err)) errs.push(err);
        }
      })(),
    );
  }
  await Promise.all(pending);
  if (errs.length) throw errs[0];
  return claimed;
}
