// core/v1 serviceaccounts (upstream pkg/registry/core/serviceaccount). The token subresource needs
// its own REST and is declared elsewhere.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asObject } from "../strategy-helpers.js";

/** Secret references keep only their name. */
export function cleanSecretReferences(sa: KubeObject): void {
  if (!Array.isArray(sa.secrets)) return;
  sa.secrets = sa.secrets.map((s) => {
    const name = asObject(s)?.name;
    return name === undefined ? {} : { name };
  });
}

export const serviceaccounts = defineResource({
  group: "",
  version: "v1",
  kind: "ServiceAccount",
  plural: "serviceaccounts",
  singular: "serviceaccount",
  namespaced: true,
  shortNames: ["sa"],
  schema: "io.k8s.api.core.v1.ServiceAccount",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: (_ctx, obj) => cleanSecretReferences(obj),
    prepareForUpdate: (_ctx, obj) => cleanSecretReferences(obj),
  },
});
