// ConfigMaps, Secrets and ServiceAccounts (upstream ValidateConfigMap / ValidateSecret). The
// immutable-when-set rules live in the built-in strategies and run after these checks.
import type { KubeObject } from "../../../apimachinery/types.js";
import { configMapKeyErrors } from "../common.js";
import { type FieldError, FieldPath, fieldErrors, obj, root, str, tooLong } from "../helpers.js";

const MAX_SIZE = 1024 * 1024;

/** Bytes of a Secret data value (base64 in JSON) or a ConfigMap string (UTF-8). */
const b64Len = (v: unknown): number => Buffer.from(str(v), "base64").length;
const utf8Len = (v: unknown): number => Buffer.byteLength(str(v), "utf8");

function keyErrors(key: string, p: FieldPath): FieldError[] {
  return configMapKeyErrors(key).map((m) => fieldErrors.invalid(p.key(key), key, m));
}

export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = obj(cm.data) ?? {};
  const binary = obj(cm.binaryData) ?? {};
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    errs.push(...keyErrors(key, root("data")));
    if (key in binary) errs.push(fieldErrors.invalid(root("data").key(key), key, "duplicate of key present in binaryData"));
    total += utf8Len(data[key]);
  }
  for (const key of Object.keys(binary).sort()) {
    errs.push(...keyErrors(key, root("binaryData")));
    total += b64Len(binary[key]);
  }
  // upstream passes field.NewPath(""), which prints as "[]"
  if (total > MAX_SIZE) errs.push(tooLong("[]", MAX_SIZE));
  return errs;
}

export function validateSecret(secret: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const dp = root("data");
  const data = obj(secret.data) ?? {};
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    errs.push(...keyErrors(key, dp));
    total += b64Len(data[key]);
  }
  if (total > MAX_SIZE) errs.push(tooLong(dp, MAX_SIZE));
  const bytes = (k: string): Buffer | undefined => (k in data ? Buffer.from(str(data[k]), "base64") : undefined);
  const jsonError = (k: string): FieldError[] => {
    const b = bytes(k);
    if (!b) return [fieldErrors.required(dp.key(k))];
    try {
      const parsed = JSON.parse(b.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return [fieldErrors.invalid(dp.key(k), "<secret contents redacted>", `json: cannot unmarshal ${Array.isArray(parsed) ? "array" : typeof parsed === "string" ? "string" : typeof parsed === "number" ? "number" : typeof parsed === "boolean" ? "bool" : "null"} into Go value of type map[string]interface {}`)];
    } catch {
      return [fieldErrors.invalid(dp.key(k), "<secret contents redacted>", "invalid character looking for beginning of value")];
    }
    return [];
  };
  switch (str(secret.type)) {
    case "kubernetes.io/service-account-token":
      if (!secret.metadata.annotations?.["kubernetes.io/service-account.name"])
        errs.push(fieldErrors.required(root("metadata", "annotations").key("kubernetes.io/service-account.name")));
      break;
    case "kubernetes.io/dockercfg":
      errs.push(...jsonError(".dockercfg"));
      break;
    case "kubernetes.io/dockerconfigjson":
      errs.push(...jsonError(".dockerconfigjson"));
      break;
    case "kubernetes.io/basic-auth":
      if (!("username" in data) && !("password" in data)) {
        errs.push(fieldErrors.required(dp.key("username")));
        errs.push(fieldErrors.required(dp.key("password")));
      }
      break;
    case "kubernetes.io/ssh-auth":
      if (!bytes("ssh-privatekey")?.length) errs.push(fieldErrors.required(dp.key("ssh-privatekey")));
      break;
    case "kubernetes.io/tls":
      if (!("tls.crt" in data)) errs.push(fieldErrors.required(dp.key("tls.crt")));
      if (!("tls.key" in data)) errs.push(fieldErrors.required(dp.key("tls.key")));
      break;
  }
  return errs;
}

/** ServiceAccounts have only metadata to validate (done generically). */
export function validateServiceAccount(_sa: KubeObject): FieldError[] {
  return [];
}
