// Subresources served by their own REST objects, attached to the built-in declarations that
// upstream serves them on, and the core/v1 resources that are REST objects of their own (bindings,
// componentstatuses). The REST objects reach the stores they write lazily (they exist once the
// declarations are installed).
import type { ServiceAccountTokens } from "../../auth/service-account-tokens.js";
import type { CustomSubresource, ResourceDefinition } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";
import type { StorageSet } from "../storage-set.js";
import { bindingsResource } from "./bindings.js";
import { componentStatusesResource, type ComponentProbe } from "./component-statuses.js";
import { csrApproval } from "./csr-approval.js";
import { podBinding } from "./pod-binding.js";
import { podEviction } from "./pod-eviction.js";
import { namespaceFinalize } from "./namespace-finalize.js";
import { tokenRequest } from "./token-request.js";

export interface CustomSubresourceDeps {
  storage: StorageSet;
  tokens: ServiceAccountTokens;
  /** Health of the control-plane components componentstatuses reports (default: all healthy). */
  componentProbe?: ComponentProbe;
}

type MaybeFactory = (store: () => ResourceStore, deps: CustomSubresourceDeps) => CustomSubresource | undefined;

type Factory = MaybeFactory;

/** Which custom subresources upstream serves on which group/resource (its storage maps). */
const CUSTOM: Record<string, Record<string, Factory>> = {
  "/serviceaccounts": { token: (store, deps) => tokenRequest(store, deps.tokens) },
  "/namespaces": { finalize: (store) => namespaceFinalize(store) },
  "/pods": { binding: podBinding, eviction: podEviction },
  "certificates.k8s.io/certificatesigningrequests": { approval: (store) => csrApproval(store) },
};

export function withCustomSubresources(def: ResourceDefinition, deps: CustomSubresourceDeps): ResourceDefinition {
  const factories = CUSTOM[`${def.group}/${def.plural}`];
  if (!factories || def.storage) return def;
  const store = (): ResourceStore => {
    const s = deps.storage.storeOf(def.group, def.plural);
    if (!s) throw new Error(`store ${def.group}/${def.plural} is not installed`);
    return s;
  };
  const custom = Object.fromEntries(
    Object.entries(factories)
      .map(([name, make]) => [name, make(store, deps)] as const)
      .filter((e): e is readonly [string, CustomSubresource] => e[1] !== undefined),
  );
  if (Object.keys(custom).length === 0) return def;
  return Object.freeze({ ...def, subresources: { ...def.subresources, custom: { ...def.subresources?.custom, ...custom } } });
}

/** The core/v1 resources upstream serves with REST objects of their own: bindings, componentstatuses. */
export function restResources(deps: CustomSubresourceDeps): ResourceDefinition[] {
  const pods = (): ResourceStore => {
    const s = deps.storage.storeOf("", "pods");
    if (!s) throw new Error("store /pods is not installed");
    return s;
  };
  return [bindingsResource(pods), componentStatusesResource(deps.componentProbe)];
}
