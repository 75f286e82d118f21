// One simulated kubelet's node side: registration (create or reconcile its Node), the node Lease
// renewed every quarter of its duration (pkg/kubelet/nodelease), and node status computed every
// nodeStatusUpdateFrequency but posted only when it changed or nodeStatusReportFrequency passed
// (pkg/kubelet/kubelet_node_status.go), with the kubelet's node events.
import { isApiError } from "../apimachinery/errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import { R, type Client } from "../client/interface.js";
import type { EventRecorder } from "../controllers/runtime/events.js";
import type { Clock } from "../util/clock.js";
import { formatMicroTime } from "../util/clock.js";
import { deepEqual } from "../util/deep-equal.js";
import { NodeImageStore } from "./images.js";
import { parseCidr, PodIPAllocator } from "./ip.js";
import { nodeConditions, nodeStatusBody, registrationNode, seedImages, type NodeCondition, type NodeIdentity } from "./node-status.js";
import type { KubeletOptions } from "./options.js";
import { NODE_STATUS_MERGE_KEYS, statusPatch } from "./patch.js";
import { newerThan } from "./rv.js";
import type { NodeHandle } from "./runtime.js";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export class NodeAgent implements NodeHandle {
  readonly name: string;
  readonly ip: string;
  readonly images: NodeImageStore;
  private readonly allocator: PodIPAllocator | undefined;
  /** Last known Node (our writes' responses and the informer's newer versions). */
  node: KubeObject | undefined;
  private lease: KubeObject | undefined;
  /** Heartbeats (lease, status) and pod work happen only while alive. */
  alive = false;
  /** The Node was deleted: this kubelet does nothing more (it does not re-register). */
  gone = false;
  ready: boolean;
  private lastReport = 0;
  private lastPosted: { body: unknown; conditions: string } | undefined;
  /** The status body (everything but conditions) for the node's current images: it changes with them only. */
  private body: { images: number; value: Record<string, unknown> } | undefined;
  /** spec.unschedulable as last reported (kubelet lastNodeUnschedulable). */
  private lastUnschedulable = false;

  constructor(
    readonly id: NodeIdentity,
    private readonly opts: KubeletOptions,
    readonly client: Client,
    readonly recorder: EventRecorder,
    private readonly clock: Clock,
    /** How the node's events are sent (the fleet's low-priority event queue; default: at once). */
    private readonly emit: (send: () => void) => void = (send) => send(),
  ) {
    this.name = id.name;
    this.ip = id.ip;
    this.images = new NodeImageStore(seedImages(id.kubeletVersion));
    this.allocator = id.podCIDR ? new PodIPAllocator(parseCidr(id.podCIDR)) : undefined;
    this.ready = opts.nodeReadyAfterMs <= 0;
  }

  allocatePodIP(): string | undefined {
    return this.allocator?.allocate();
  }

  reservePodIP(ip: string): void {
    this.allocator?.reserve(ip);
  }

  releasePodIP(ip: string): void {
    this.allocator?.release(ip);
  }

  /** The object events about the node refer to (the kubelet's nodeRef: UID is the node name). */
  get ref(): KubeObject {
    return { kind: "Node", metadata: { name: this.name, uid: this.name } };
  }

  private nodeEvent(reason: string, message?: string): void {
    const at = this.clock.now();
    this.emit(() => this.recorder.event(this.ref, "Normal", reason, message ?? `Node ${this.name} status is now: ${reason}`, undefined, at));
  }

  /** Registers the node (or reconciles an existing one after a restart) and creates its lease. */
  async register(): Promise<void> {
    const now = this.clock.now();
    this.nodeEvent("Starting", "Starting kubelet.");
    this.nodeEvent("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
    const desired = registrationNode(this.id, this.opts, this.images, now);
    try {
      this.node = await this.client.create(R.nodes, "", desired);
      for (const c of (desired.status as { conditions: NodeCondition[] }).conditions) {
        if (c.type === "MemoryPressure") this.nodeEvent("NodeHasSufficientMemory");
        if (c.type === "DiskPressure") this.nodeEvent("NodeHasNoDiskPressure");
        if (c.type === "PIDPressure") this.nodeEvent("NodeHasSufficientPID");
      }
    } catch (err) {
      if (!isApiError(err) || err.code !== 409) throw err;
      // already registered (a restart): keep its labels and spec, refresh the status
      this.node = await this.client.get(R.nodes, "", this.name);
      this.ready = this.opts.nodeReadyAfterMs <= 0;
      await this.postStatus(true);
    }
    this.lastReport = now;
    this.alive = true;
    await this.renewLease();
  }

  /** Ready after the runtime came up. */
  async becomeReady(): Promise<void> {
    if (this.ready) return;
    this.ready = true;
    await this.postStatus(true);
  }

  async renewLease(): Promise<void> {
    if (!this.alive || this.gone) return;
    const renewTime = formatMicroTime(this.clock.now());
    const spec = { holderIdentity: this.name, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (!this.lease) {
          const owner = this.node?.metadata.uid
            ? [{ apiVersion: "v1", kind: "Node", name: this.name, uid: this.node.metadata.uid }]
            : undefined;
          this.lease = await this.client.create(R.leases, NODE_LEASE_NAMESPACE, {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name: this.name, namespace: NODE_LEASE_NAMESPACE, ...(owner ? { ownerReferences: owner } : {}) },
            spec,
          });
        } else {
          this.lease = await this.client.update(R.leases, NODE_LEASE_NAMESPACE, { ...this.lease, spec: { ...(this.lease.spec as object), ...spec } });
        }
        return;
      } catch (err) {
        if (!isApiError(err)) throw err;
        if (err.code === 409) this.lease = await this.client.get(R.leases, NODE_LEASE_NAMESPACE, this.name).catch(() => undefined);
        else if (err.code === 404) this.lease = undefined;
        else throw err;
      }
    }
  }

  /** nodeStatusUpdateFrequency tick: posts when something changed or the report interval passed. */
  async syncStatus(): Promise<void> {
    if (!this.alive || this.gone) return;
    const due = this.clock.now() - this.lastReport >= this.opts.nodeStatusReportFrequencyMs;
    await this.postStatus(due);
  }

  async postStatus(force: boolean): Promise<void> {
    if (this.gone || !this.node) return;
    // recordNodeSchedulableEvent: a cordon (spec.unschedulable) or uncordon is reported at the next status sync
    const unschedulable = (this.node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
    if (unschedulable !== this.lastUnschedulable) {
      this.lastUnschedulable = unschedulable;
      this.nodeEvent(unschedulable ? "NodeNotSchedulable" : "NodeSchedulable");
    }
    const now = this.clock.now();
    const prevConditions = ((this.node.status as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []) as NodeCondition[];
    const { conditions, events } = nodeConditions(prevConditions, this.ready, now);
    if (this.body?.images !== this.images.generation) this.body = { images: this.images.generation, value: nodeStatusBody(this.id, this.opts, this.images) };
    const body = this.body.value;
    const summary = conditions.map((c) => `${c.type}=${c.status}`).join(",");
    if (!force && this.lastPosted && this.lastPosted.conditions === summary && deepEqual(this.lastPosted.body, body)) return;
    const status = { ...(this.node.status as object), ...body, conditions };
    const patch = statusPatch(this.node.status, status, NODE_STATUS_MERGE_KEYS);
    if (patch) {
      try {
        this.node = await this.client.patch(R.nodes, "", this.name, "strategic", patch, { subresource: "status" });
      } catch (err) {
        if (isApiError(err) && err.code === 404) {
          this.gone = true;
          return;
        }
        throw err;
      }
    }
    this.lastReport = now;
    this.lastPosted = { body, conditions: summary };
    for (const e of events) this.nodeEvent(e);
  }

  /** A newer Node from the informer (the node controller's condition and taint writes). */
  observe(node: KubeObject): void {
    if (!this.node || newerThan(node.metadata.resourceVersion, this.node.metadata.resourceVersion)) this.node = node;
  }
}
