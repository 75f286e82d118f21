// A flowcontrol /status write changes status only: all metadata but managedFields comes from the
// stored object (upstream flowschema/prioritylevelconfiguration status strategies).
import type { KubeObject } from "../../../apimachinery/types.js";
import { deepCopy } from "../strategy-helpers.js";

export function keepMetadataForStatus(obj: KubeObject, old: KubeObject): void {
  const managedFields = obj.metadata.managedFields;
  obj.metadata = deepCopy(old.metadata);
  if (managedFields !== undefined) obj.metadata.managedFields = managedFields;
  else delete obj.metadata.managedFields;
}
