// Service address allocation over HTTP: the Status bodies kubectl prints for allocation failures,
// dry runs, immutability and idempotent resubmission, against the in-memory API server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertStatus, type Obj, startTestServer, type TestServer } from "../../../helpers/api-server.js";

const SVC = "/api/v1/namespaces/default/services";

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

function service(name: string, spec: Obj): Obj {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

describe("Service allocation over HTTP", () => {
  it("a requested clusterIP already in use: 422 with the field cause", async () => {
    assert.equal((await s.post(SVC, service("dns", { clusterIP: "10.96.0.10" }))).status, 201);
    const st = assertStatus(
      await s.post(SVC, service("dns2", { clusterIP: "10.96.0.10" })),
      422,
      "Invalid",
      'Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    assert.deepEqual(st.details, {
      name: "dns2",
      kind: "Service",
      causes: [{ reason: "FieldValueInvalid", message: 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated', field: "spec.clusterIPs" }],
    });
    assertStatus(await s.post(SVC, service("k", { clusterIP: "10.96.0.1" })), 422, "Invalid", /failed to allocate IP 10\.96\.0\.1: provided IP is already allocated/);
  });

  it("addresses outside the service range", async () => {
    assertStatus(
      await s.post(SVC, service("out", { clusterIP: "192.168.0.1" })),
      422,
      "Invalid",
      'Service "out" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided network does not match the current range',
    );
  });

  it("NodePorts in use or out of range", async () => {
    const created = await s.post(SVC, service("np", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(created.status, 201);
    assertStatus(
      await s.post(SVC, service("np2", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] })),
      422,
      "Invalid",
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    assertStatus(
      await s.post(SVC, service("np3", { type: "NodePort", ports: [{ port: 80, nodePort: 80 }] })),
      422,
      "Invalid",
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it("dry runs allocate nothing", async () => {
    const dry = await s.post(`${SVC}?dryRun=All`, service("dry", { clusterIP: "10.96.0.77", type: "NodePort", ports: [{ port: 80, nodePort: 30077 }] }));
    assert.equal(dry.status, 201);
    assert.equal(dry.body.spec.clusterIP, "10.96.0.77");
    const real = await s.post(SVC, service("real", { clusterIP: "10.96.0.77", type: "NodePort", ports: [{ port: 80, nodePort: 30077 }] }));
    assert.equal(real.status, 201, real.text);
    const auto = await s.post(`${SVC}?dryRun=All`, service("auto", { type: "NodePort" }));
    assert.equal(auto.body.spec.clusterIP, "10.96.0.0", "upstream's dry-run placeholder");
    assert.equal(auto.body.spec.ports[0].nodePort, 32769);
  });

  it("clusterIP is immutable; a resubmitted manifest without allocated values keeps them", async () => {
    const created = (await s.post(SVC, service("imm", { type: "NodePort" }))).body;
    const changed = structuredClone(created);
    changed.spec.clusterIP = "10.96.0.99";
    changed.spec.clusterIPs = ["10.96.0.99"];
    assertStatus(await s.put(`${SVC}/imm`, changed), 422, "Invalid", /spec\.clusterIPs\[0\]: Invalid value: .*10\.96\.0\.99.*: may not change once set/);
    const resubmitted = service("imm", { type: "NodePort" });
    resubmitted.metadata.resourceVersion = created.metadata.resourceVersion;
    const put = await s.put(`${SVC}/imm`, resubmitted);
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.spec.clusterIP, created.spec.clusterIP);
    assert.equal(put.body.spec.ports[0].nodePort, created.spec.ports[0].nodePort);
  });

  it("a deleted Service's addresses can be requested again at once", async () => {
    assert.equal((await s.post(SVC, service("gone", { clusterIP: "10.96.0.55", type: "NodePort", ports: [{ port: 80, nodePort: 30055 }] }))).status, 201);
    assert.equal((await s.del(`${SVC}/gone`)).status, 200);
    const again = await s.post(SVC, service("again", { clusterIP: "10.96.0.55", type: "NodePort", ports: [{ port: 80, nodePort: 30055 }] }));
    assert.equal(again.status, 201, again.text);
  });

  it("concurrent creates get distinct cluster IPs and NodePorts", async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => s.post(SVC, service(`par-${i}`, { type: "NodePort", ports: [{ name: "a", port: 80 }, { name: "b", port: 81 }] }))));
    for (const r of results) assert.equal(r.status, 201, r.text);
    const ips = results.map((r) => r.body.spec.clusterIP);
    const ports = results.flatMap((r) => r.body.spec.ports.map((p: Obj) => p.nodePort));
    assert.equal(new Set(ips).size, 60);
    assert.equal(new Set(ports).size, 120);
    // and the same requested address asked for concurrently goes to exactly one of them
    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => s.post(SVC, service(`race-${i}`, { clusterIP: "10.96.0.88" }))));
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 422, 422, 422, 422]);
  });

  it("a create rejected by validation gives its requested address back", async () => {
    assertStatus(await s.post(SVC, service("Bad_Name", { clusterIP: "10.96.0.66" })), 422, "Invalid", /metadata.name: Invalid value: "Bad_Name"/);
    const ok = await s.post(SVC, service("good", { clusterIP: "10.96.0.66" }));
    assert.equal(ok.status, 201, ok.text);
  });
});
