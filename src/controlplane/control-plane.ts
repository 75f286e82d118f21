// The in-process control plane: controllers, scheduler and simulated kubelets, all clients of the
// API through loopback clients, started after the API server and stopped before it.
import { registryDiscovery } from "../controllers/lifecycle/discovery.js";
import { LoopbackClient, type LoopbackDeps } from "../client/loopback-client.js";
import { COMPONENT_GROUPS } from "../controllers/index.js";
import { EventRecorder } from "../controllers/runtime/events.js";
import { ControllerManager } from "../controllers/runtime/manager.js";
import type { ClusterOptions, ControllerContext } from "./context.js";

export interface ControlPlaneOptions {
  cluster: ClusterOptions;
  /** Component groups to run (default: all of COMPONENT_GROUPS). */
  groups?: string[];
}

const SYSTEM_GROUPS = ["system:authenticated"];

export class ControlPlane {
  readonly manager: ControllerManager;
  readonly context: ControllerContext;
  private readonly clients = new Map<string, LoopbackClient>();

  constructor(
    private readonly deps: LoopbackDeps,
    opts: ControlPlaneOptions,
  ) {
    const version = opts.cluster.kubernetesVersion;
    const clientFor = (component: string, user?: { username: string; groups: string[] }) => {
      const key = `${component}/${user?.username ?? ""}`;
      let c = this.clients.get(key);
      if (!c) {
        c = new LoopbackClient(this.deps, {
          user: user ?? { username: `system:${component}`, groups: SYSTEM_GROUPS },
          userAgent: `${component}/${version} (linux/amd64) kubernetes/kubefacade`,
        });
        this.clients.set(key, c);
      }
      return c;
    };
    const eventClient = (component: string, host?: string) => {
      if (component === "kubelet" && host) return clientFor("kubelet", { username: `system:node:${host}`, groups: ["system:nodes", "system:authenticated"] });
      return clientFor(component === "default-scheduler" ? "kube-scheduler" : "kube-controller-manager");
    };
    this.manager = new ControllerManager(clientFor("kube-controller-manager"), deps.clock);
    this.context = {
      clientFor,
      informers: this.manager.informers,
      // events are written by the process the component runs in, as upstream's recorders do
      recorder: (component, host) => new EventRecorder(eventClient(component, host), { component, ...(host ? { host } : {}) }, deps.clock),
      clock: deps.clock,
      options: opts.cluster,
      discovery: registryDiscovery(deps.registry),
    };
    for (const [group, factory] of Object.entries(COMPONENT_GROUPS)) {
      if (opts.groups && !opts.groups.includes(group)) continue;
      for (const r of factory(this.context)) this.manager.add(r);
    }
  }

  start(): Promise<void> {
    return this.manager.start();
  }

  stop(): Promise<void> {
    return this.manager.stop();
  }
}
