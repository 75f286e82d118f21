// The simulated kubelets' knobs: node names, shape (capacity, labels, addresses), the host facts
// they report, and the timing of the simulated container runtime. The number of nodes, the pod
// CIDR and the version come from the cluster options (--nodes, podCIDR, --kubernetes-version);
// everything here has a default and may be overridden through `ClusterOptions.kubelet`
// (see kubeletOptionsFrom) or the CLI flags documented in the README.
import type { ClusterOptions } from "../controlplane/context.js";

export interface NodeTaintSpec {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface KubeletOptions {
  /** Nodes are named `${namePrefix}${i}` for i = 1..nodes ("node-1", "node-2", ...). */
  namePrefix: string;
  /** Capacity of every node (Kubernetes quantities). */
  cpu: string;
  memory: string;
  ephemeralStorage: string;
  pods: number;
  /** Extra labels on every node (added to the kubelet's own kubernetes.io/* labels). */
  labels: Record<string, string>;
  /** Taints every node registers with (kubelet --register-with-taints). */
  taints: NodeTaintSpec[];
  /** Nodes' InternalIPs are taken in order from this range, starting at its second address (.2). */
  nodeIPCIDR: string;
  /** Prefix length of each node's pod range cut from the cluster pod CIDR (kube-controller-manager
   * --node-cidr-mask-size); made longer automatically when the cluster CIDR cannot hold every node. */
  nodeCIDRMaskSize: number;
  /** What the nodes report about themselves. */
  architecture: string;
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
  /** Multiplies every simulated duration of the pod lifecycle (0 = instant, for benchmarks). */
  timeScale: number;
  /** How long after registering a node reports Ready (the runtime and network coming up). */
  nodeReadyAfterMs: number;
  /** Lease renewal (kubelet: leaseDurationSeconds 40, renewed every 25% of it). */
  leaseDurationSeconds: number;
  /** kubelet nodeStatusUpdateFrequency / nodeStatusReportFrequency. */
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  /** Extra stage definitions (YAML file, see src/kubelet/stages/load.ts), tried before the defaults. */
  stagesFile?: string;
}

export const DEFAULT_KUBELET_OPTIONS: KubeletOptions = {
  namePrefix: "node-",
  cpu: "8",
  memory: "32Gi",
  ephemeralStorage: "100Gi",
  pods: 110,
  labels: {},
  taints: [],
  nodeIPCIDR: "172.18.0.0/16",
  nodeCIDRMaskSize: 24,
  architecture: "amd64",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  kernelVersion: "6.8.0-60-generic",
  containerRuntimeVersion: "containerd://2.1.1",
  timeScale: 1,
  nodeReadyAfterMs: 500,
  leaseDurationSeconds: 40,
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 5 * 60_000,
};

/** ClusterOptions as the kubelets read them: an optional `kubelet` block of overrides. */
export type ClusterOptionsWithKubelet = ClusterOptions & { kubelet?: Partial<KubeletOptions> };

export function kubeletOptionsFrom(cluster: ClusterOptions): KubeletOptions {
  const overrides = (cluster as ClusterOptionsWithKubelet).kubelet ?? {};
  const out: KubeletOptions = { ...DEFAULT_KUBELET_OPTIONS };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  if (!(out.timeScale >= 0)) out.timeScale = 1;
  return out;
}

/** The name of the i-th simulated node (1-based). */
export function nodeName(opts: Pick<KubeletOptions, "namePrefix">, i: number): string {
  return `${opts.namePrefix}${i}`;
}
