// List, map and patch semantics of the properties of meta/v1, apiextensions.k8s.io and
// apiregistration.k8s.io (upstream +listType, +listMapKey, +mapType, +structType, +patchStrategy
// and +patchMergeKey markers of the 1.33 API types).
// Notation: see field-spec.ts.
import type { FieldTable } from "./field-spec.js";

export const FIELDS_MACHINERY: FieldTable = {
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames": { categories: "atomic", shortNames: "atomic" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": { versions: "atomic" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus": { conditions: "map[type]", storedVersions: "atomic" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion": {
    additionalPrinterColumns: "atomic",
    selectableFields: "atomic",
  },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps": {
    allOf: "atomic",
    anyOf: "atomic",
    enum: "atomic",
    oneOf: "atomic",
    required: "atomic",
    "x-kubernetes-list-map-keys": "atomic",
    "x-kubernetes-validations": "merge(rule) map[rule]",
  },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion": { conversionReviewVersions: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup": { serverAddressByClientCIDRs: "atomic", versions: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList": { groups: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIResource": { categories: "atomic", shortNames: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList": { resources: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions": { serverAddressByClientCIDRs: "atomic", versions: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": { dryRun: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement": { values: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": { matchExpressions: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement": { values: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": { finalizers: "merge set", managedFields: "atomic", ownerReferences: "merge(uid) map[uid]" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Status": { details: "atomic" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails": { causes: "atomic" },
  "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec": { caBundle: "atomic" },
  "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus": { conditions: "merge(type) map[type]" },
};
