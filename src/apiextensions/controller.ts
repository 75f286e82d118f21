// The apiextensions controllers kube-apiserver runs in process (upstream apiextensions-apiserver:
// the crdHandler's informer, the naming and establishing controllers and the CRD finalizer), driven
// by one watch of customresourcedefinitions and one queue of CRD names:
//  - every change first updates what is served (CRDRegistrar);
//  - a live CRD gets its accepted names and NamesAccepted/Established conditions;
//  - a deleted CRD (deletionTimestamp and the cleanup finalizer) has its custom resources deleted
//    through the API, then loses the finalizer, and the store removes it.
// Writes go through the loopback client, so they are validated and admitted like any other.
import { ApiError } from "../apimachinery/errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { Client } from "../client/interface.js";
import type { Registry } from "../registry/registry.js";
import type { Watch } from "../registry/rest.js";
import type { StorageSet } from "../registry/storage-set.js";
import { CRD_CLEANUP_FINALIZER } from "../registry/builtin/apiextensions/customresourcedefinitions.js";
import { formatTime, type Clock, type Timer } from "../util/clock.js";
import { semanticEqual } from "../util/deep-equal.js";
import { deepCopy } from "../storage/codec.js";
import { acceptedNames, CRD_GROUP, CRD_RESOURCE, type CRD, type CRDCondition, type CRDNames, isConditionTrue, setCondition } from "./crd.js";
import { calculateNamesAndConditions } from "./naming.js";
import type { CRDRegistrar } from "./registrar.js";

/** How long the finalizer waits before looking again at custom resources that are still there (finalizers). */
const RECHECK_MS = 1000;
/** After this long with custom resources left, the Terminating condition says so (upstream's one-minute wait). */
const CHECK_TIMEOUT_MS = 60_000;

export class APIExtensionsController {
  private readonly pending = new Set<string>();
  private draining: Promise<void> | undefined;
  private watch: Watch | undefined;
  private readonly timers = new Map<string, Timer>();
  /** When the finalizer first found custom resources it could not remove yet, per CRD. */
  private readonly waitingSince = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly storage: StorageSet,
    private readonly registry: Registry,
    private readonly registrar: CRDRegistrar,
    private readonly client: Client,
    private readonly clock: Clock,
  ) {}

  private get store() {
    const s = this.storage.storeOf(CRD_GROUP, "customresourcedefinitions");
    if (!s) throw new Error("store customresourcedefinitions.apiextensions.k8s.io is not installed");
    return s;
  }

  private current(name: string): CRD | undefined {
    return this.store.listCached("").find((c) => c.metadata.name === name) as CRD | undefined;
  }

  /** Serves every stored CRD (before the server answers requests), then follows changes. */
  async start(): Promise<void> {
    for (const crd of this.store.listCached("")) this.pending.add(crd.metadata.name!);
    await this.drain();
    const ctx = { user: { username: "system:apiserver", groups: ["system:masters"] }, namespace: "", name: "", subresource: "", warnings: [], clock: this.clock };
    this.watch = await this.store.watch(ctx, {});
    const w = this.watch;
    void (async () => {
      try {
        for await (const ev of w) {
          if (this.stopped) break;
          if (ev.type === "ADDED" || ev.type === "MODIFIED" || ev.type === "DELETED") this.enqueue(ev.object.metadata.name!);
        }
      } catch {
        // the store is closing
      }
    })();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Resolves when nothing is queued (tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    void this.drain();
  }

  private enqueueAfter(name: string, ms: number): void {
    this.timers.get(name)?.cancel();
    this.timers.set(
      name,
      this.clock.setTimer(ms, () => {
        this.timers.delete(name);
        this.enqueue(name);
      }),
    );
  }

  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = (async () => {
      while (this.pending.size && !this.stopped) {
        const name = this.pending.values().next().value!;
        this.pending.delete(name);
        try {
          await this.sync(name);
        } catch (err) {
          if (err instanceof ApiError && (err.reason === "Conflict" || err.reason === "NotFound")) this.enqueue(name);
          else this.enqueueAfter(name, RECHECK_MS);
        }
      }
    })().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async sync(name: string): Promise<void> {
    const crd = this.current(name);
    await this.registrar.sync(name, crd);
    if (!crd) {
      this.waitingSince.delete(name);
      return;
    }
    if (crd.metadata.deletionTimestamp) {
      if (crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER)) await this.finalize(crd);
      return;
    }
    await this.acceptNames(crd);
  }

  private async updateStatus(crd: CRD): Promise<void> {
    await this.client.update(CRD_RESOURCE, "", crd as KubeObject, { subresource: "status" });
  }

  /** The naming and establishing controllers: accepted names and the two conditions. */
  private async acceptNames(crd: CRD): Promise<void> {
    const others = this.store.listCached("") as CRD[];
    const result = calculateNamesAndConditions(crd, others);
    const next = deepCopy(crd) as CRD;
    const now = formatTime(this.clock.now());
    next.status ??= {};
    next.status.acceptedNames = stripEmpty(result.acceptedNames);
    setCondition(next, result.namesAccepted, now);
    setCondition(next, result.established, now);
    if (semanticEqual(next.status, crd.status)) return;
    await this.updateStatus(next);
    // a CRD whose names were refused may now get them: look at the group's others again
    if (result.namesAccepted.status === "True" && !isConditionTrue(crd, "NamesAccepted"))
      for (const other of others) if (other.spec?.group === crd.spec.group && other.metadata.name !== crd.metadata.name && !isConditionTrue(other, "NamesAccepted")) this.enqueue(other.metadata.name!);
  }

  /** The CRD finalizer (upstream crd_finalizer.go): delete every custom resource, then let the CRD go. */
  private async finalize(crd: CRD): Promise<void> {
    const name = crd.metadata.name!;
    const now = () => formatTime(this.clock.now());
    const terminating = (status: CRDCondition["status"], reason: string, message: string): CRDCondition => ({ type: "Terminating", status, reason, message });
    let next = deepCopy(crd) as CRD;
    setCondition(next, terminating("True", "InstanceDeletionInProgress", "CustomResource deletion is in progress"), now());
    if (!semanticEqual(next.status, crd.status)) {
      await this.updateStatus(next);
      return; // the write's event brings us back with the fresh object
    }
    const def = this.servedDefinition(crd);
    if (def && isConditionTrue(crd, "Established")) {
      const gvr = { group: def.group, version: def.version, resource: def.plural };
      const remaining = (await this.client.list(gvr, "")).items;
      for (const obj of remaining) {
        if (obj.metadata.deletionTimestamp) continue;
        try {
          await this.client.delete(gvr, obj.metadata.namespace ?? "", obj.metadata.name!, {});
        } catch (err) {
          if (!(err instanceof ApiError && err.reason === "NotFound")) throw err;
        }
      }
      const left = (await this.client.list(gvr, "")).items.length;
      if (left > 0) {
        const since = this.waitingSince.get(name) ?? this.clock.now();
        this.waitingSince.set(name, since);
        if (this.clock.now() - since >= CHECK_TIMEOUT_MS) {
          next = deepCopy(crd) as CRD;
          setCondition(next, terminating("True", "InstanceDeletionCheck", "could not confirm zero CustomResources remaining: timed out waiting for the condition"), now());
          if (!semanticEqual(next.status, crd.status)) await this.updateStatus(next);
        }
        this.enqueueAfter(name, RECHECK_MS);
        return;
      }
      next = deepCopy(crd) as CRD;
      setCondition(next, terminating("False", "InstanceDeletionCompleted", "removed all instances"), now());
    } else {
      next = deepCopy(crd) as CRD;
      setCondition(next, terminating("False", "NeverEstablished", "resource was never established"), now());
    }
    this.waitingSince.delete(name);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    await this.updateStatus(next);
  }

  /** A served version of the CRD's resource, to reach its objects through. */
  private servedDefinition(crd: CRD) {
    const plural = acceptedNames(crd).plural;
    for (const { group, versions } of this.registry.groups()) {
      if (group !== crd.spec.group) continue;
      for (const v of versions) {
        const def = this.registry.lookup(group, v, plural);
        if (def) return def;
      }
    }
    return undefined;
  }
}

/** Accepted names as upstream serialises them: its field order, omitempty (no empty strings or lists). */
function stripEmpty(names: CRDNames): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ["plural", "singular", "shortNames", "kind", "listKind", "categories"] as const) {
    const v = names[k];
    if (v === "" || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}
