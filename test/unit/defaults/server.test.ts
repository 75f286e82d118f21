// The defaulters are wired into the API server: a create, an update and a patch of a built-in kind
// come back defaulted, through every served version (autoscaling v1 and v2 share storage).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Obj, type TestServer, startTestServer } from "../../helpers/api-server.js";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

function deploymentBody(): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "c", image: "nginx:1.25", resources: { limits: { memory: "1024Mi" } } }] },
      },
    },
  };
}

describe("defaulting through the API server", () => {
  it("create, get, patch and update of a Deployment", async () => {
    const created = await server.post("/apis/apps/v1/namespaces/default/deployments", deploymentBody());
    assert.equal(created.status, 201, created.text);
    const spec = created.body.spec;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.template.metadata.creationTimestamp, null);
    const container = spec.template.spec.containers[0];
    assert.equal(container.imagePullPolicy, "IfNotPresent");
    assert.equal(container.resources.limits.memory, "1Gi");
    assert.equal(spec.template.spec.dnsPolicy, "ClusterFirst");

    const got = await server.get("/apis/apps/v1/namespaces/default/deployments/web");
    assert.deepEqual(got.body.spec, spec);

    // a patch that removes a defaulted field gets it back; one that sets it keeps it
    const patched = await server.patch("/apis/apps/v1/namespaces/default/deployments/web", { spec: { revisionHistoryLimit: null, progressDeadlineSeconds: 30 } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.spec.revisionHistoryLimit, 10);
    assert.equal(patched.body.spec.progressDeadlineSeconds, 30);

    const body: Obj = { ...deploymentBody(), metadata: { name: "web", resourceVersion: patched.body.metadata.resourceVersion } };
    body.spec.template.spec.containers[0].image = "nginx";
    const updated = await server.put("/apis/apps/v1/namespaces/default/deployments/web", body);
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.spec.template.spec.containers[0].imagePullPolicy, "Always");
    assert.equal(updated.body.spec.progressDeadlineSeconds, 600);
  });

  it("a Pod gets requests from limits before its QoS class is computed", async () => {
    const res = await server.post("/api/v1/namespaces/default/pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "guaranteed" },
      spec: { containers: [{ name: "c", image: "nginx", resources: { limits: { cpu: "0.5", memory: "128Mi" } } }] },
    });
    assert.equal(res.status, 201, res.text);
    const c = res.body.spec.containers[0];
    assert.deepEqual(c.resources, { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "500m", memory: "128Mi" } });
    assert.equal(res.body.spec.enableServiceLinks, true);
    assert.equal(res.body.status.qosClass, "Guaranteed");
  });

  it("a Service gets its defaults", async () => {
    const res = await server.post("/api/v1/namespaces/default/services", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80 }] },
    });
    assert.equal(res.status, 201, res.text);
    const spec = res.body.spec;
    assert.equal(spec.sessionAffinity, "None");
    assert.equal(spec.externalTrafficPolicy, "Cluster");
    assert.equal(spec.internalTrafficPolicy, "Cluster");
    assert.equal(spec.ports[0].protocol, "TCP");
    assert.equal(spec.ports[0].targetPort, 80);
  });

  it("an autoscaling/v2 HPA read through v1 and v2", async () => {
    const res = await server.post("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 4 },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.spec.minReplicas, 1);
    assert.deepEqual(res.body.spec.metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }]);
    const v1 = await server.get("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web");
    assert.equal(v1.body.spec.targetCPUUtilizationPercentage, 80);
    assert.equal(v1.body.spec.minReplicas, 1);
  });

  it("an autoscaling/v1 HPA gets minReplicas", async () => {
    const res = await server.post("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers", {
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "v1" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 4 },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.spec.minReplicas, 1);
    assert.equal(res.body.spec.targetCPUUtilizationPercentage, 80);
  });
});
