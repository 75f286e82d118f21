// Every built-in resource a stock 1.33 kube-apiserver serves with its generic store, as declarations.
// Resources that need their own REST (reviews, bindings, componentstatuses, evictions, tokens,
// logs, exec, approval, finalize) are not here: see src/registry/custom and src/auth/reviews.ts.
import type { ResourceDefinition } from "../definition.js";
import { mutatingwebhookconfigurations } from "./admissionregistration/mutatingwebhookconfigurations.js";
import { validatingadmissionpolicies } from "./admissionregistration/validatingadmissionpolicies.js";
import { validatingadmissionpolicybindings } from "./admissionregistration/validatingadmissionpolicybindings.js";
import { validatingwebhookconfigurations } from "./admissionregistration/validatingwebhookconfigurations.js";
import { customresourcedefinitions } from "./apiextensions/customresourcedefinitions.js";
import { apiservices } from "./apiregistration/apiservices.js";
import { controllerrevisions } from "./apps/controllerrevisions.js";
import { daemonsets } from "./apps/daemonsets.js";
import { deployments } from "./apps/deployments.js";
import { replicasets } from "./apps/replicasets.js";
import { statefulsets } from "./apps/statefulsets.js";
import { horizontalpodautoscalersV1, horizontalpodautoscalersV2 } from "./autoscaling/horizontalpodautoscalers.js";
import { cronjobs } from "./batch/cronjobs.js";
import { jobs } from "./batch/jobs.js";
import { certificatesigningrequests } from "./certificates/certificatesigningrequests.js";
import { leases } from "./coordination/leases.js";
import { configmaps } from "./core/configmaps.js";
import { endpoints } from "./core/endpoints.js";
import { events } from "./core/events.js";
import { limitranges } from "./core/limitranges.js";
import { namespaces } from "./core/namespaces.js";
import { nodes } from "./core/nodes.js";
import { persistentvolumeclaims } from "./core/persistentvolumeclaims.js";
import { persistentvolumes } from "./core/persistentvolumes.js";
import { pods } from "./core/pods.js";
import { podtemplates } from "./core/podtemplates.js";
import { replicationcontrollers } from "./core/replicationcontrollers.js";
import { resourcequotas } from "./core/resourcequotas.js";
import { secrets } from "./core/secrets.js";
import { serviceaccounts } from "./core/serviceaccounts.js";
import { services } from "./core/services.js";
import { endpointslices } from "./discovery/endpointslices.js";
import { eventsV1 } from "./events/events.js";
import { flowschemas } from "./flowcontrol/flowschemas.js";
import { prioritylevelconfigurations } from "./flowcontrol/prioritylevelconfigurations.js";
import { ingressclasses } from "./networking/ingressclasses.js";
import { ingresses } from "./networking/ingresses.js";
import { ipaddresses } from "./networking/ipaddresses.js";
import { networkpolicies } from "./networking/networkpolicies.js";
import { servicecidrs } from "./networking/servicecidrs.js";
import { runtimeclasses } from "./node/runtimeclasses.js";
import { poddisruptionbudgets } from "./policy/poddisruptionbudgets.js";
import { clusterrolebindings } from "./rbac/clusterrolebindings.js";
import { clusterroles } from "./rbac/clusterroles.js";
import { rolebindings } from "./rbac/rolebindings.js";
import { roles } from "./rbac/roles.js";
import { priorityclasses } from "./scheduling/priorityclasses.js";
import { csidrivers } from "./storage/csidrivers.js";
import { csinodes } from "./storage/csinodes.js";
import { csistoragecapacities } from "./storage/csistoragecapacities.js";
import { storageclasses } from "./storage/storageclasses.js";
import { volumeattachments } from "./storage/volumeattachments.js";

const ALL: readonly ResourceDefinition[] = [
  // core/v1
  namespaces,
  pods,
  services,
  endpoints,
  configmaps,
  secrets,
  serviceaccounts,
  nodes,
  events,
  persistentvolumes,
  persistentvolumeclaims,
  resourcequotas,
  limitranges,
  replicationcontrollers,
  podtemplates,
  // apps/v1
  deployments,
  replicasets,
  statefulsets,
  daemonsets,
  controllerrevisions,
  // batch/v1
  jobs,
  cronjobs,
  // autoscaling/v2 (storage) and autoscaling/v1
  horizontalpodautoscalersV2,
  horizontalpodautoscalersV1,
  // coordination.k8s.io/v1, discovery.k8s.io/v1, events.k8s.io/v1
  leases,
  endpointslices,
  eventsV1,
  // networking.k8s.io/v1
  ingresses,
  ingressclasses,
  networkpolicies,
  ipaddresses,
  servicecidrs,
  // policy/v1
  poddisruptionbudgets,
  // rbac.authorization.k8s.io/v1
  roles,
  rolebindings,
  clusterroles,
  clusterrolebindings,
  // storage.k8s.io/v1
  storageclasses,
  csidrivers,
  csinodes,
  volumeattachments,
  csistoragecapacities,
  // scheduling.k8s.io/v1, node.k8s.io/v1
  priorityclasses,
  runtimeclasses,
  // certificates.k8s.io/v1
  certificatesigningrequests,
  // admissionregistration.k8s.io/v1
  validatingwebhookconfigurations,
  mutatingwebhookconfigurations,
  validatingadmissionpolicies,
  validatingadmissionpolicybindings,
  // apiextensions.k8s.io/v1
  customresourcedefinitions,
  // apiregistration.k8s.io/v1
  apiservices,
  // flowcontrol.apiserver.k8s.io/v1
  flowschemas,
  prioritylevelconfigurations,
];

/** The built-in declarations, in a fresh array (the declarations themselves are frozen). */
export function builtinResources(): ResourceDefinition[] {
  return [...ALL];
}
