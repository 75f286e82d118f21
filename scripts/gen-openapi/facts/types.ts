// Definition-level facts of the 1.33 API types: structs published as atomic maps (upstream
// +structType=atomic) and discriminated unions (+union / +unionDiscriminator).

/** x-kubernetes-map-type of whole definitions. */
export const STRUCT_MAP_TYPES: Readonly<Record<string, "atomic" | "granular">> = {
  "io.k8s.api.admissionregistration.v1.MatchResources": "atomic",
  "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations": "atomic",
  "io.k8s.api.admissionregistration.v1.ParamKind": "atomic",
  "io.k8s.api.admissionregistration.v1.ParamRef": "atomic",
  "io.k8s.api.admissionregistration.v1.Variable": "atomic",
  "io.k8s.api.admissionregistration.v1alpha1.MatchResources": "atomic",
  "io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations": "atomic",
  "io.k8s.api.admissionregistration.v1alpha1.ParamKind": "atomic",
  "io.k8s.api.admissionregistration.v1alpha1.ParamRef": "atomic",
  "io.k8s.api.admissionregistration.v1beta1.MatchResources": "atomic",
  "io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations": "atomic",
  "io.k8s.api.admissionregistration.v1beta1.ParamKind": "atomic",
  "io.k8s.api.admissionregistration.v1beta1.ParamRef": "atomic",
  "io.k8s.api.admissionregistration.v1beta1.Variable": "atomic",
  "io.k8s.api.autoscaling.v1.CrossVersionObjectReference": "atomic",
  "io.k8s.api.core.v1.ConfigMapKeySelector": "atomic",
  "io.k8s.api.core.v1.EndpointAddress": "atomic",
  "io.k8s.api.core.v1.EndpointPort": "atomic",
  "io.k8s.api.core.v1.LocalObjectReference": "atomic",
  "io.k8s.api.core.v1.NodeSelector": "atomic",
  "io.k8s.api.core.v1.NodeSelectorTerm": "atomic",
  "io.k8s.api.core.v1.ObjectFieldSelector": "atomic",
  "io.k8s.api.core.v1.ObjectReference": "atomic",
  "io.k8s.api.core.v1.ResourceFieldSelector": "atomic",
  "io.k8s.api.core.v1.ScopeSelector": "atomic",
  "io.k8s.api.core.v1.SecretKeySelector": "atomic",
  "io.k8s.api.core.v1.SecretReference": "atomic",
  "io.k8s.api.core.v1.TopologySelectorTerm": "atomic",
  "io.k8s.api.core.v1.TypedLocalObjectReference": "atomic",
  "io.k8s.api.discovery.v1.EndpointPort": "atomic",
  "io.k8s.api.networking.v1.ServiceBackendPort": "atomic",
  "io.k8s.api.rbac.v1.RoleRef": "atomic",
  "io.k8s.api.rbac.v1.Subject": "atomic",
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": "atomic",
  "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": "atomic",
};

export interface UnionFact {
  discriminator?: string;
  /** JSON field name -> discriminator value (the Go field name). */
  "fields-to-discriminateBy": Record<string, string>;
}

/** x-kubernetes-unions of definitions. */
export const UNIONS: Readonly<Record<string, readonly UnionFact[]>> = {
  "io.k8s.api.core.v1.AppArmorProfile": [{ discriminator: "type", "fields-to-discriminateBy": { localhostProfile: "LocalhostProfile" } }],
  "io.k8s.api.core.v1.SeccompProfile": [{ discriminator: "type", "fields-to-discriminateBy": { localhostProfile: "LocalhostProfile" } }],
  "io.k8s.api.flowcontrol.v1.LimitResponse": [{ discriminator: "type", "fields-to-discriminateBy": { queuing: "Queuing" } }],
  "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec": [{ discriminator: "type", "fields-to-discriminateBy": { exempt: "Exempt", limited: "Limited" } }],
  "io.k8s.api.flowcontrol.v1.Subject": [{ discriminator: "kind", "fields-to-discriminateBy": { group: "Group", serviceAccount: "ServiceAccount", user: "User" } }],
};
