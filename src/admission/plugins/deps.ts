// What admission plugins may read: the current state of other objects (from the watch caches),
// the Clock and the cluster options.
import type { KubeObject } from "../../apimachinery/types.js";
import type { ClusterOptions } from "../../controlplane/context.js";
import type { Clock } from "../../util/clock.js";

export interface AdmissionDeps {
  get(group: string, resource: string, namespace: string, name: string): KubeObject | undefined;
  list(group: string, resource: string, namespace?: string): KubeObject[];
  clock: Clock;
  cluster: ClusterOptions;
}
