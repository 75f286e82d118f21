// Every in-process control-plane component, by group. `--controllers` selects groups (default all).
import type { ControllerContext } from "../controlplane/context.js";
import { kubeletComponents } from "../kubelet/index.js";
import { schedulerComponents } from "../scheduler/index.js";
import { appsControllers } from "./apps/index.js";
import { batchControllers } from "./batch/index.js";
import { lifecycleControllers } from "./lifecycle/index.js";
import { networkingControllers } from "./networking/index.js";
import { nodeControllers } from "./nodes/index.js";
import type { Runnable } from "./runtime/controller.js";
import { statefulControllers } from "./stateful/index.js";
import { storageControllers } from "./storage/index.js";

export type ComponentFactory = (ctx: ControllerContext) => Runnable[];

export const COMPONENT_GROUPS: Record<string, ComponentFactory> = {
  lifecycle: lifecycleControllers,
  apps: appsControllers,
  stateful: statefulControllers,
  batch: batchControllers,
  networking: networkingControllers,
  storage: storageControllers,
  nodes: nodeControllers,
  scheduler: schedulerComponents,
  kubelet: kubeletComponents,
};
