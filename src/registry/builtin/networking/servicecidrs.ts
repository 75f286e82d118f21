// networking.k8s.io/v1 servicecidrs (upstream pkg/registry/networking/servicecidr; GA in 1.33).
import { defineResource } from "../../definition.js";
import { resetObjectMetaForStatus } from "../strategy-helpers.js";

export const servicecidrs = defineResource({
  group: "networking.k8s.io",
  version: "v1",
  kind: "ServiceCIDR",
  plural: "servicecidrs",
  singular: "servicecidr",
  namespaced: false,
  schema: "io.k8s.api.networking.v1.ServiceCIDR",
  subresources: { status: true },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForStatusUpdate: (_ctx, obj, old) => resetObjectMetaForStatus(obj, old),
  },
});
