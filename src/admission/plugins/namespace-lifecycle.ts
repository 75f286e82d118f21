// NamespaceLifecycle (upstream plugin/pkg/admission/namespace/lifecycle): no new content in a
// namespace that does not exist (404 for the namespace) or is terminating (403), and the
// immortal namespaces cannot be deleted.
import { errors } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";

export const IMMORTAL_NAMESPACES = ["default", "kube-system", "kube-public"];

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = "NamespaceLifecycle";

  constructor(private readonly getNamespace: (name: string) => KubeObject | undefined) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE" || op === "DELETE";
  }

  admit(a: AdmissionAttributes): void {
    const isNamespace = a.kind.group === "" && a.kind.kind === "Namespace" && a.subresource === "";
    if (a.operation === "DELETE") {
      if (isNamespace && IMMORTAL_NAMESPACES.includes(a.name))
        throw errors.forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, "this namespace may not be deleted");
      return;
    }
    if (!a.namespaced || isNamespace || !a.namespace) return;
    const ns = this.getNamespace(a.namespace);
    if (!ns) throw errors.notFound({ group: "", resource: "namespaces" }, a.namespace);
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    if (phase === "Terminating" || ns.metadata.deletionTimestamp) {
      const err = errors.forbidden(
        { group: a.resource.group, resource: a.resource.resource },
        a.name,
        `unable to create new content in namespace ${a.namespace} because it is being terminated`,
      );
      err.details!.causes = [
        {
          reason: "NamespaceTerminating",
          message: `namespace ${a.namespace} is being terminated`,
          field: "metadata.namespace",
        },
      ];
      throw err;
    }
  }
}
