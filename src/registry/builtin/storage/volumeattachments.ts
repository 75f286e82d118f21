// storage.k8s.io/v1 volumeattachments (upstream pkg/registry/storage/volumeattachment).
import { defineResource } from "../../definition.js";
import { resetObjectMetaForStatus } from "../strategy-helpers.js";

export const volumeattachments = defineResource({
  group: "storage.k8s.io",
  version: "v1",
  kind: "VolumeAttachment",
  plural: "volumeattachments",
  singular: "volumeattachment",
  namespaced: false,
  schema: "io.k8s.api.storage.v1.VolumeAttachment",
  subresources: { status: true },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    prepareForStatusUpdate: (_ctx, obj, old) => resetObjectMetaForStatus(obj, old),
  },
});
