// Admission (upstream apiserver/pkg/admission): plugins see every write with its old and new
// object; mutating plugins run first in order, validating plugins run last, after the strategy's
// own validation — inside the store, when the object is fully formed.
import type { GroupVersionKind, GroupVersionResource, KubeObject, UserInfo } from "../apimachinery/types.js";

export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: GroupVersionResource;
  subresource: string;
  kind: GroupVersionKind;
  name: string;
  namespace: string;
  namespaced: boolean;
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  handles(operation: AdmissionOperation): boolean;
  /** Mutating phase: may change attrs.object; throws an ApiError to reject. */
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Validating phase: must not change anything; throws an ApiError to reject. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}
