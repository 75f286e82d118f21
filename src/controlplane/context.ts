// What every in-process control-plane component gets: its own loopback client (its identity is
// its field manager and its user), the shared informers, event recorders, the injected Clock and
// the cluster options.
import type { ResourceDiscovery } from "../controllers/lifecycle/discovery.js";
import type { InformerFactory } from "../client/informers/factory.js";
import type { Client } from "../client/interface.js";
import type { EventRecorder } from "../controllers/runtime/events.js";
import type { Clock } from "../util/clock.js";

export interface ClusterOptions {
  /** Number of simulated nodes (--nodes). */
  nodes: number;
  /** Service cluster IP range; the kubernetes service has its first address. */
  serviceCIDR: string;
  /** Pod CIDR the nodes' pod ranges are cut from. */
  podCIDR: string;
  /** NodePort range. */
  nodePortRange: [number, number];
  /** Address range handed to LoadBalancer services. */
  loadBalancerCIDR: string;
  /** The cluster CA (PEM), published as kube-root-ca.crt in every namespace. */
  clusterCA: string;
  /** What /version reports (kubelets report it as their version). */
  kubernetesVersion: string;
}

export interface ControllerContext {
  /** A loopback client acting as `component` (kube-controller-manager, kube-scheduler, kubelet, ...). */
  clientFor(component: string, user?: { username: string; groups: string[] }): Client;
  /** Informers shared by every component (listing through the controller-manager's client). */
  informers: InformerFactory;
  recorder(component: string, host?: string): EventRecorder;
  clock: Clock;
  options: ClusterOptions;
  /** What the API server serves (discovery and a RESTMapper's input), from its registry. */
  discovery: ResourceDiscovery;
}

export const DEFAULT_CLUSTER_OPTIONS: Omit<ClusterOptions, "clusterCA" | "kubernetesVersion"> = {
  nodes: 3,
  serviceCIDR: "10.96.0.0/12",
  podCIDR: "10.244.0.0/16",
  nodePortRange: [30000, 32767],
  loadBalancerCIDR: "172.18.255.0/24",
};
