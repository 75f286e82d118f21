// apps/v1 printers: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
import type { Printer } from "../printer.js";
import {
  ageColumn,
  ageOf,
  column,
  containerCells,
  containersColumn,
  formatLabelSelector,
  formatLabels,
  get,
  imagesColumn,
  int,
  labelSelectorString,
  list,
  nameColumn,
  nameOf,
  printer,
  str,
  stringMap,
} from "./util.js";

export const deploymentPrinter: Printer = printer(
  [
    nameColumn(),
    column("Ready", "string", "Number of the pod with ready state"),
    column("Up-to-date", "string", "Total number of non-terminating pods targeted by this deployment that have the desired template spec."),
    column("Available", "string", "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
  ],
  (o, ctx) => {
    const [names, images] = containerCells(list(o, "spec", "template", "spec", "containers"));
    return [
      nameOf(o),
      `${int(o, "status", "readyReplicas")}/${int(o, "spec", "replicas")}`,
      int(o, "status", "updatedReplicas"),
      int(o, "status", "availableReplicas"),
      ageOf(o, ctx),
      names,
      images,
      labelSelectorString(get(o, "spec", "selector")) ?? "<invalid>",
    ];
  },
);

export const replicaSetPrinter: Printer = printer(
  [
    nameColumn(),
    column("Desired", "integer", "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
    column("Current", "integer", "Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
    column("Ready", "integer", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column("Selector", "string", "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  (o, ctx) => {
    const [names, images] = containerCells(list(o, "spec", "template", "spec", "containers"));
    return [
      nameOf(o),
      int(o, "spec", "replicas"),
      int(o, "status", "replicas"),
      int(o, "status", "readyReplicas"),
      ageOf(o, ctx),
      names,
      images,
      formatLabelSelector(get(o, "spec", "selector")),
    ];
  },
);

export const statefulSetPrinter: Printer = printer(
  [
    nameColumn(),
    column("Ready", "string", "Number of the pod with ready state"),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
  ],
  (o, ctx) => {
    const [names, images] = containerCells(list(o, "spec", "template", "spec", "containers"));
    return [nameOf(o), `${int(o, "status", "readyReplicas")}/${int(o, "spec", "replicas")}`, ageOf(o, ctx), names, images];
  },
);

export const daemonSetPrinter: Printer = printer(
  [
    nameColumn(),
    column("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    column("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    column("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
    column("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
    column("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
    column("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column("Selector", "string", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  (o, ctx) => {
    const [names, images] = containerCells(list(o, "spec", "template", "spec", "containers"));
    return [
      nameOf(o),
      int(o, "status", "desiredNumberScheduled"),
      int(o, "status", "currentNumberScheduled"),
      int(o, "status", "numberReady"),
      int(o, "status", "updatedNumberScheduled"),
      int(o, "status", "numberAvailable"),
      formatLabels(stringMap(o, "spec", "template", "spec", "nodeSelector")),
      ageOf(o, ctx),
      names,
      images,
      formatLabelSelector(get(o, "spec", "selector")),
    ];
  },
);

/** schema.ParseGroupVersion(apiVersion).Group; undefined for a malformed apiVersion. */
function groupOf(apiVersion: string): string | undefined {
  if (apiVersion === "" || apiVersion === "/") return "";
  const parts = apiVersion.split("/");
  if (parts.length === 1) return "";
  if (parts.length === 2) return parts[0];
  return undefined;
}

/** `kind.group/name` in lower case (upstream formatResourceName with the kind). */
function controllerName(owners: unknown[]): string {
  const ref = owners.find((r) => get(r, "controller") === true);
  if (ref === undefined) return "<none>";
  const kind = str(ref, "kind");
  const group = groupOf(str(ref, "apiVersion")) ?? "";
  const name = str(ref, "name");
  if (kind === "" && group === "") return name;
  return `${(group === "" ? kind : `${kind}.${group}`).toLowerCase()}/${name}`;
}

export const controllerRevisionPrinter: Printer = printer(
  [
    nameColumn(),
    column("Controller", "string", "Controller of the object"),
    column("Revision", "string", "revision indicates the revision of the state represented by Data."),
    ageColumn(),
  ],
  (o, ctx) => [nameOf(o), controllerName(list(o, "metadata", "ownerReferences")), int(o, "revision"), ageOf(o, ctx)],
);
