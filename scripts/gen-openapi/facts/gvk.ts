// Group/version/kind facts that the sources cannot give.
//
// Every kind of a served group-version is found from its properties (apiVersion, kind and
// metadata). The meta/v1 types are registered in the scheme differently: Status and the discovery
// documents only in core v1, DeleteOptions and WatchEvent in every group-version of the
// kube-apiserver's scheme, which is this table.

/** Group-versions of the 1.33 kube-apiserver scheme, groups and versions in upstream sort order. */
export const SCHEME_GROUP_VERSIONS: readonly (readonly [string, readonly string[]])[] = [
  ["", ["v1"]],
  ["admission.k8s.io", ["v1", "v1beta1"]],
  ["admissionregistration.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["apiextensions.k8s.io", ["v1", "v1beta1"]],
  ["apiregistration.k8s.io", ["v1", "v1beta1"]],
  ["apps", ["v1", "v1beta1", "v1beta2"]],
  ["authentication.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["authorization.k8s.io", ["v1", "v1beta1"]],
  ["autoscaling", ["v1", "v2", "v2beta1", "v2beta2"]],
  ["batch", ["v1", "v1beta1"]],
  ["certificates.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["coordination.k8s.io", ["v1", "v1alpha2", "v1beta1"]],
  ["discovery.k8s.io", ["v1", "v1beta1"]],
  ["events.k8s.io", ["v1", "v1beta1"]],
  ["extensions", ["v1beta1"]],
  ["flowcontrol.apiserver.k8s.io", ["v1", "v1beta1", "v1beta2", "v1beta3"]],
  ["imagepolicy.k8s.io", ["v1alpha1"]],
  ["internal.apiserver.k8s.io", ["v1alpha1"]],
  ["networking.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["node.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["policy", ["v1", "v1beta1"]],
  ["rbac.authorization.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["resource.k8s.io", ["v1alpha3", "v1beta1", "v1beta2"]],
  ["scheduling.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["storage.k8s.io", ["v1", "v1alpha1", "v1beta1"]],
  ["storagemigration.k8s.io", ["v1alpha1"]],
];

/** meta/v1 types registered in every group-version of the scheme. */
export const EVERY_GROUP_VERSION_KINDS: readonly string[] = [
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
  "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
];

/** meta/v1 types registered only as core v1 kinds. */
export const CORE_V1_ONLY_KINDS: readonly string[] = [
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup",
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList",
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList",
  "io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions",
  "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
];
