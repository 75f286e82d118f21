// core/v1 secrets (upstream pkg/registry/core/secret). stringData is write-only: the v1 conversion
// merges it into data (base64) and it is never stored.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asObject, asString, immutableString } from "../strategy-helpers.js";
import { immutableDataErrors } from "./configmaps.js";

/** Default of Secret.type (upstream defaulting). */
export const DEFAULT_SECRET_TYPE = "Opaque";

export function mergeStringData(secret: KubeObject): void {
  const stringData = asObject(secret.stringData);
  if (stringData && Object.keys(stringData).length > 0) {
    const data = { ...(asObject(secret.data) ?? {}) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(asString(v), "utf8").toString("base64");
    secret.data = data;
  }
  delete secret.stringData;
}

const typeOf = (o: KubeObject) => asString(o.type) || DEFAULT_SECRET_TYPE;

export const secrets = defineResource({
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  singular: "secret",
  namespaced: true,
  schema: "io.k8s.api.core.v1.Secret",
  fieldSelectors: {
    type: typeOf,
  },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: (_ctx, obj) => mergeStringData(obj),
    prepareForUpdate: (_ctx, obj) => mergeStringData(obj),
    validateUpdate: (_ctx, obj, old) => [...immutableString("type", typeOf(obj), typeOf(old)), ...immutableDataErrors(obj, old, ["data"])],
  },
});
