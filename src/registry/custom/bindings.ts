// core/v1 bindings (upstream pkg/registry/core/pod/storage LegacyBindingREST): the collection
// form of pods/binding. POST /api/v1/namespaces/{ns}/bindings with a Binding named like the pod
// binds it exactly as pods/binding does (the same code path, errors on pods/binding); create is
// the only verb, and nothing is stored under `bindings`.
import { isPlainObject, type KubeObject, type Status } from "../../apimachinery/types.js";
import type { RequestContext } from "../context.js";
import { defineResource, type ResourceDefinition } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";
import { bindPod, checkBindingNamespace } from "./pod-binding.js";

export function bindingsResource(podStore: () => ResourceStore): ResourceDefinition {
  return defineResource({
    group: "",
    version: "v1",
    kind: "Binding",
    plural: "bindings",
    singular: "binding",
    namespaced: true,
    schema: "io.k8s.api.core.v1.Binding",
    verbs: ["create"],
    rest: {
      create: async (ctx: RequestContext, binding: KubeObject, opts): Promise<Status> => {
        checkBindingNamespace(ctx, binding);
        const meta = isPlainObject(binding.metadata) ? binding.metadata : {};
        const name = typeof meta.name === "string" ? meta.name : "";
        // the pod is written as pods/binding writes it (admission sees the binding subresource)
        return bindPod(podStore(), { ...ctx, name, subresource: "binding" }, name, binding, opts);
      },
    },
  });
}
