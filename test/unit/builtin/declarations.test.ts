// Every built-in declaration is well-formed and carries the upstream facts clients depend on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALL_VERBS, type ResourceDefinition } from "../../../src/registry/definition.js";
import { builtinResources } from "../../../src/registry/builtin/index.js";

const defs = builtinResources();
const gvr = (d: Pick<ResourceDefinition, "group" | "version" | "plural">) => `${d.group || "core"}/${d.version}/${d.plural}`;
const gr = (d: Pick<ResourceDefinition, "group" | "plural">) => (d.group ? `${d.plural}.${d.group}` : d.plural);

interface Facts {
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  scale?: boolean;
  fields?: string[];
  generation?: "spec" | "specAndAnnotations" | "nonStatus";
  name?: "DNS1123Subdomain" | "DNS1123Label" | "DNS1035Label" | "PathSegment";
  createOnUpdate?: boolean;
  unconditional?: boolean;
  gc?: "OrphanDependents" | "DeleteDependents";
  shared?: string;
}

const EVENT_FIELDS = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
];

/** Upstream facts, by GVR (name defaults to DNS1123Subdomain, unconditional to true, createOnUpdate to false). */
const UPSTREAM: Record<string, Facts> = {
  "core/v1/namespaces": { kind: "Namespace", namespaced: false, shortNames: ["ns"], status: true, fields: ["status.phase"], name: "DNS1123Label" },
  "core/v1/pods": {
    kind: "Pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    status: true,
    generation: "spec",
    fields: [
      "spec.nodeName",
      "spec.host",
      "spec.restartPolicy",
      "spec.schedulerName",
      "spec.serviceAccountName",
      "spec.hostNetwork",
      "status.phase",
      "status.podIP",
      "status.nominatedNodeName",
    ],
  },
  "core/v1/services": {
    kind: "Service",
    namespaced: true,
    shortNames: ["svc"],
    categories: ["all"],
    status: true,
    fields: ["spec.clusterIP", "spec.type"],
    name: "DNS1035Label",
    createOnUpdate: true,
  },
  "core/v1/endpoints": { kind: "Endpoints", namespaced: true, shortNames: ["ep"], createOnUpdate: true },
  "core/v1/configmaps": { kind: "ConfigMap", namespaced: true, shortNames: ["cm"] },
  "core/v1/secrets": { kind: "Secret", namespaced: true, fields: ["type"] },
  "core/v1/serviceaccounts": { kind: "ServiceAccount", namespaced: true, shortNames: ["sa"] },
  "core/v1/nodes": { kind: "Node", namespaced: false, shortNames: ["no"], status: true, fields: ["spec.unschedulable"] },
  "core/v1/events": { kind: "Event", namespaced: true, shortNames: ["ev"], fields: EVENT_FIELDS, createOnUpdate: true },
  "core/v1/persistentvolumes": { kind: "PersistentVolume", namespaced: false, shortNames: ["pv"], status: true },
  "core/v1/persistentvolumeclaims": { kind: "PersistentVolumeClaim", namespaced: true, shortNames: ["pvc"], status: true },
  "core/v1/resourcequotas": { kind: "ResourceQuota", namespaced: true, shortNames: ["quota"], status: true },
  "core/v1/limitranges": { kind: "LimitRange", namespaced: true, shortNames: ["limits"], createOnUpdate: true },
  "core/v1/replicationcontrollers": {
    kind: "ReplicationController",
    namespaced: true,
    shortNames: ["rc"],
    categories: ["all"],
    status: true,
    scale: true,
    fields: ["status.replicas"],
    generation: "spec",
    gc: "OrphanDependents",
  },
  "core/v1/podtemplates": { kind: "PodTemplate", namespaced: true, generation: "nonStatus" },
  "apps/v1/deployments": {
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    status: true,
    scale: true,
    generation: "specAndAnnotations",
  },
  "apps/v1/replicasets": { kind: "ReplicaSet", namespaced: true, shortNames: ["rs"], categories: ["all"], status: true, scale: true, generation: "spec" },
  "apps/v1/statefulsets": { kind: "StatefulSet", namespaced: true, shortNames: ["sts"], categories: ["all"], status: true, scale: true, generation: "spec" },
  "apps/v1/daemonsets": { kind: "DaemonSet", namespaced: true, shortNames: ["ds"], categories: ["all"], status: true, generation: "spec" },
  "apps/v1/controllerrevisions": { kind: "ControllerRevision", namespaced: true },
  "batch/v1/jobs": { kind: "Job", namespaced: true, categories: ["all"], status: true, fields: ["status.successful"], generation: "spec", gc: "OrphanDependents" },
  "batch/v1/cronjobs": { kind: "CronJob", namespaced: true, shortNames: ["cj"], categories: ["all"], status: true, generation: "spec" },
  "autoscaling/v2/horizontalpodautoscalers": { kind: "HorizontalPodAutoscaler", namespaced: true, shortNames: ["hpa"], categories: ["all"], status: true },
  "autoscaling/v1/horizontalpodautoscalers": {
    kind: "HorizontalPodAutoscaler",
    namespaced: true,
    shortNames: ["hpa"],
    categories: ["all"],
    status: true,
    shared: "horizontalpodautoscalers.autoscaling",
  },
  "coordination.k8s.io/v1/leases": { kind: "Lease", namespaced: true, createOnUpdate: true, unconditional: false },
  "discovery.k8s.io/v1/endpointslices": { kind: "EndpointSlice", namespaced: true, generation: "nonStatus" },
  "events.k8s.io/v1/events": {
    kind: "Event",
    namespaced: true,
    shortNames: ["ev"],
    createOnUpdate: true,
    shared: "events",
    fields: [
      "regarding.kind",
      "regarding.namespace",
      "regarding.name",
      "regarding.uid",
      "regarding.apiVersion",
      "regarding.resourceVersion",
      "regarding.fieldPath",
      "reason",
      "reportingController",
      "type",
    ],
  },
  "networking.k8s.io/v1/ingresses": { kind: "Ingress", namespaced: true, shortNames: ["ing"], status: true, generation: "spec" },
  "networking.k8s.io/v1/ingressclasses": { kind: "IngressClass", namespaced: false, generation: "spec" },
  "networking.k8s.io/v1/networkpolicies": { kind: "NetworkPolicy", namespaced: true, shortNames: ["netpol"], generation: "spec" },
  "networking.k8s.io/v1/ipaddresses": { kind: "IPAddress", namespaced: false, shortNames: ["ip"], name: "PathSegment" },
  "networking.k8s.io/v1/servicecidrs": { kind: "ServiceCIDR", namespaced: false, status: true },
  "policy/v1/poddisruptionbudgets": { kind: "PodDisruptionBudget", namespaced: true, shortNames: ["pdb"], status: true, generation: "spec", unconditional: false },
  "rbac.authorization.k8s.io/v1/roles": { kind: "Role", namespaced: true, name: "PathSegment", createOnUpdate: true },
  "rbac.authorization.k8s.io/v1/rolebindings": { kind: "RoleBinding", namespaced: true, name: "PathSegment", createOnUpdate: true },
  "rbac.authorization.k8s.io/v1/clusterroles": { kind: "ClusterRole", namespaced: false, name: "PathSegment", createOnUpdate: true },
  "rbac.authorization.k8s.io/v1/clusterrolebindings": { kind: "ClusterRoleBinding", namespaced: false, name: "PathSegment", createOnUpdate: true },
  "storage.k8s.io/v1/storageclasses": { kind: "StorageClass", namespaced: false, shortNames: ["sc"] },
  "storage.k8s.io/v1/csidrivers": { kind: "CSIDriver", namespaced: false, generation: "spec", unconditional: false },
  "storage.k8s.io/v1/csinodes": { kind: "CSINode", namespaced: false, unconditional: false },
  "storage.k8s.io/v1/volumeattachments": { kind: "VolumeAttachment", namespaced: false, status: true, unconditional: false },
  "storage.k8s.io/v1/csistoragecapacities": { kind: "CSIStorageCapacity", namespaced: true, unconditional: false },
  "scheduling.k8s.io/v1/priorityclasses": { kind: "PriorityClass", namespaced: false, shortNames: ["pc"], generation: "spec" },
  "node.k8s.io/v1/runtimeclasses": { kind: "RuntimeClass", namespaced: false, createOnUpdate: true, unconditional: false },
  "certificates.k8s.io/v1/certificatesigningrequests": {
    kind: "CertificateSigningRequest",
    namespaced: false,
    shortNames: ["csr"],
    status: true,
    fields: ["spec.signerName"],
    name: "PathSegment",
  },
  "admissionregistration.k8s.io/v1/validatingwebhookconfigurations": {
    kind: "ValidatingWebhookConfiguration",
    namespaced: false,
    categories: ["api-extensions"],
    generation: "nonStatus",
    unconditional: false,
  },
  "admissionregistration.k8s.io/v1/mutatingwebhookconfigurations": {
    kind: "MutatingWebhookConfiguration",
    namespaced: false,
    categories: ["api-extensions"],
    generation: "nonStatus",
    unconditional: false,
  },
  "admissionregistration.k8s.io/v1/validatingadmissionpolicies": {
    kind: "ValidatingAdmissionPolicy",
    namespaced: false,
    categories: ["api-extensions"],
    status: true,
    generation: "spec",
    unconditional: false,
  },
  "admissionregistration.k8s.io/v1/validatingadmissionpolicybindings": {
    kind: "ValidatingAdmissionPolicyBinding",
    namespaced: false,
    categories: ["api-extensions"],
    generation: "spec",
    unconditional: false,
  },
  "apiextensions.k8s.io/v1/customresourcedefinitions": {
    kind: "CustomResourceDefinition",
    namespaced: false,
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    status: true,
    generation: "spec",
    unconditional: false,
  },
  "apiregistration.k8s.io/v1/apiservices": {
    kind: "APIService",
    namespaced: false,
    categories: ["api-extensions"],
    status: true,
    name: "PathSegment",
    unconditional: false,
  },
  "flowcontrol.apiserver.k8s.io/v1/flowschemas": { kind: "FlowSchema", namespaced: false, status: true, generation: "spec" },
  "flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations": { kind: "PriorityLevelConfiguration", namespaced: false, status: true, generation: "spec" },
};

/** The OpenAPI definition name of a built-in kind (io.k8s.api.<first label of the group>.<version>.<Kind>). */
function expectedSchema(d: ResourceDefinition): string {
  if (d.group === "apiextensions.k8s.io") return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${d.version}.${d.kind}`;
  if (d.group === "apiregistration.k8s.io") return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${d.version}.${d.kind}`;
  const pkg = d.group === "" ? "core" : d.group.split(".")[0];
  return `io.k8s.api.${pkg}.${d.version}.${d.kind}`;
}

describe("built-in declarations", () => {
  it("declares exactly the upstream table, each GVR once", () => {
    const keys = defs.map(gvr);
    assert.equal(new Set(keys).size, keys.length, "duplicate GVR");
    assert.deepEqual([...keys].sort(), Object.keys(UPSTREAM).sort());
  });

  it("leaves out componentstatuses and every custom-REST subresource", () => {
    assert.ok(!defs.some((d) => d.plural === "componentstatuses"));
    for (const d of defs) {
      assert.equal(d.subresources?.custom, undefined, `${gvr(d)} declares custom subresources`);
      assert.equal(d.rest, undefined, `${gvr(d)} replaces the generic store`);
      assert.equal(d.printer, undefined, `${gvr(d)} sets a printer`);
    }
  });

  for (const d of defs) {
    const facts = UPSTREAM[gvr(d)];
    describe(gvr(d), () => {
      it("is well-formed", () => {
        assert.ok(Object.isFrozen(d));
        assert.match(d.plural, /^[a-z0-9]+$/);
        assert.equal(d.singular, d.kind.toLowerCase());
        assert.match(d.kind, /^[A-Z][A-Za-z0-9]*$/);
        assert.equal(d.schema, expectedSchema(d));
        for (const v of d.verbs ?? ALL_VERBS) assert.ok(ALL_VERBS.includes(v));
        for (const s of d.shortNames ?? []) assert.match(s, /^[a-z0-9]+$/);
      });

      it("carries upstream's facts", () => {
        assert.ok(facts, "not in the upstream table");
        assert.equal(d.kind, facts.kind);
        assert.equal(d.namespaced, facts.namespaced);
        assert.deepEqual(d.shortNames ?? [], facts.shortNames ?? []);
        assert.deepEqual(d.categories ?? [], facts.categories ?? []);
        assert.equal(d.subresources?.status ?? false, facts.status ?? false);
        assert.equal(d.subresources?.scale !== undefined, facts.scale ?? false);
        assert.deepEqual(Object.keys(d.fieldSelectors ?? {}), facts.fields ?? []);
        const s = d.strategy ?? {};
        assert.equal(s.generation, facts.generation);
        assert.equal(s.nameValidation, facts.name ?? "DNS1123Subdomain");
        assert.equal(s.allowCreateOnUpdate, facts.createOnUpdate ?? false);
        assert.equal(s.allowUnconditionalUpdate, facts.unconditional ?? true);
        assert.equal(s.defaultGarbageCollectionPolicy, facts.gc);
        assert.equal(d.storage ? gr({ group: d.storage.group, plural: d.storage.resource }) : undefined, facts.shared);
      });
    });
  }

  it("scale subresources read .spec.replicas/.status.replicas and serialise spec.selector", () => {
    for (const d of defs.filter((x) => x.subresources?.scale)) {
      assert.deepEqual(d.subresources!.scale, { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: "spec.selector" });
    }
  });

  it("gives each short name to one group-resource only", () => {
    const owner = new Map<string, string>();
    for (const d of defs) {
      // a resource served in several groups/versions shares one storage (events, HPAs)
      const id = d.storage ? gr({ group: d.storage.group, plural: d.storage.resource }) : gr(d);
      for (const s of d.shortNames ?? []) {
        const prev = owner.get(s);
        assert.ok(prev === undefined || prev === id, `short name ${s}: ${prev} and ${id}`);
        owner.set(s, id);
      }
    }
  });

  it("puts exactly upstream's workload kinds in the `all` category", () => {
    const all = defs.filter((d) => d.categories?.includes("all")).map(gr);
    assert.deepEqual([...new Set(all)].sort(), [
      "cronjobs.batch",
      "daemonsets.apps",
      "deployments.apps",
      "horizontalpodautoscalers.autoscaling",
      "jobs.batch",
      "pods",
      "replicasets.apps",
      "replicationcontrollers",
      "services",
      "statefulsets.apps",
    ]);
  });

  it("shares storage only with an owner of the same kind and scope", () => {
    for (const d of defs.filter((x) => x.storage)) {
      const owner = defs.find((o) => !o.storage && o.group === d.storage!.group && o.plural === d.storage!.resource);
      assert.ok(owner, `${gvr(d)}: no storage owner`);
      assert.equal(owner.kind, d.kind);
      assert.equal(owner.namespaced, d.namespaced);
      assert.deepEqual(owner.shortNames, d.shortNames);
    }
  });

  it("serves every verb except where upstream does not (namespaces have no deletecollection)", () => {
    for (const d of defs) {
      const verbs = d.verbs ?? ALL_VERBS;
      if (d.plural === "namespaces") assert.deepEqual([...verbs], ["create", "delete", "get", "list", "patch", "update", "watch"]);
      else assert.deepEqual([...verbs], [...ALL_VERBS]);
    }
  });

  it("warns on every core/v1 endpoints request (deprecated in 1.33)", () => {
    const ep = defs.find((d) => d.group === "" && d.plural === "endpoints")!;
    assert.equal(ep.deprecated?.warning, "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
    assert.deepEqual(
      defs.filter((d) => d.deprecated).map(gvr),
      ["core/v1/endpoints"],
    );
  });
});
