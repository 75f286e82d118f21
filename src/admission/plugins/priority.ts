// Priority (upstream plugin/pkg/admission/priority): a new pod's spec.priority (and
// preemptionPolicy) come from its PriorityClass, or from the global default class, or are 0 and
// PreemptLowerPriority when there is none; a pod may not state a priority that differs. Updates
// keep the stored priority. PriorityClasses: only one may be the global default.
// system-node-critical and system-cluster-critical are ordinary PriorityClass objects here, created
// by the API server's bootstrap as upstream's scheduling PostStartHook does.
import { errors } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { forbidden, isPod, lookup, obj, specOf } from "./util.js";

/** scheduling.DefaultPriorityWhenNoDefaultClassExists */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0;
export const SYSTEM_NODE_CRITICAL = "system-node-critical";
export const SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical";

const GROUP = "scheduling.k8s.io";
const RESOURCE = "priorityclasses";

const valueOf = (pc: KubeObject): number => (typeof pc.value === "number" ? pc.value : 0);

export class Priority implements AdmissionPlugin {
  readonly name = "Priority";

  constructor(private readonly deps: AdmissionDeps) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE" || op === "UPDATE" || op === "DELETE";
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    if (a.subresource !== "" || !isPod(a)) return;
    if (a.operation === "UPDATE") return this.admitPodUpdate(a);
    if (a.operation === "CREATE") return this.admitPodCreate(a);
  }

  validate(a: AdmissionAttributes): void {
    if (a.subresource !== "" || a.resource.group !== GROUP || a.resource.resource !== RESOURCE) return;
    if (a.operation !== "CREATE" && a.operation !== "UPDATE") return;
    const pc = a.object;
    if (!pc || pc.globalDefault !== true) return;
    const current = this.defaultClass();
    if (!current) return;
    if (a.operation === "CREATE" || current.metadata.name !== pc.metadata.name)
      throw forbidden(a, `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`);
  }

  /** The stored priority survives updates that leave it out (validation forbids changing it). */
  private admitPodUpdate(a: AdmissionAttributes): void {
    if (!a.object || !a.oldObject) throw errors.badRequest("resource was marked with kind Pod but was unable to be converted");
    const spec = specOf(a.object);
    const old = obj(a.oldObject.spec) ?? {};
    if ((spec.priority === undefined || spec.priority === null) && typeof old.priority === "number") spec.priority = old.priority;
    if ((spec.preemptionPolicy === undefined || spec.preemptionPolicy === null) && typeof old.preemptionPolicy === "string")
      spec.preemptionPolicy = old.preemptionPolicy;
  }

  private async admitPodCreate(a: AdmissionAttributes): Promise<void> {
    if (!a.object) throw errors.badRequest("resource was marked with kind Pod but was unable to be converted");
    const spec = specOf(a.object);
    let priority: number;
    let preemptionPolicy: string | undefined;
    const className = typeof spec.priorityClassName === "string" ? spec.priorityClassName : "";
    if (!className) {
      const def = this.defaultClass();
      if (def) {
        priority = valueOf(def);
        preemptionPolicy = typeof def.preemptionPolicy === "string" ? def.preemptionPolicy : undefined;
        spec.priorityClassName = def.metadata.name;
      } else {
        priority = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS;
        preemptionPolicy = "PreemptLowerPriority";
        // pcName "" leaves the field empty (omitted)
      }
    } else {
      const pc = await lookup(() => this.deps.get(GROUP, RESOURCE, "", className));
      if (!pc) throw forbidden(a, `no PriorityClass with name ${className} was found`);
      priority = valueOf(pc);
      preemptionPolicy = typeof pc.preemptionPolicy === "string" ? pc.preemptionPolicy : undefined;
    }
    if (typeof spec.priority === "number" && spec.priority !== priority)
      throw forbidden(
        a,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    spec.priority = priority;
    if (preemptionPolicy !== undefined) {
      if (typeof spec.preemptionPolicy === "string" && spec.preemptionPolicy !== preemptionPolicy)
        throw forbidden(
          a,
          `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
        );
      spec.preemptionPolicy = preemptionPolicy;
    }
  }

  /** getDefaultPriorityClass: of several global defaults (a race), the one with the lowest value. */
  private defaultClass(): KubeObject | undefined {
    let best: KubeObject | undefined;
    for (const pc of this.deps.list(GROUP, RESOURCE)) {
      if (pc.globalDefault !== true) continue;
      if (!best || valueOf(best) > valueOf(pc)) best = pc;
    }
    return best;
  }
}

export function priority(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new Priority(deps);
}
