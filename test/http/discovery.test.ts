// Discovery over HTTP: the legacy documents (/api, /apis, /apis/<g>, /api/v1, /apis/<g>/<v>), the
// aggregated apidiscovery.k8s.io v2/v2beta1 documents chosen by Accept order, /version, the health
// endpoints, and what an unauthenticated client may read. Mirrors the conformance behaviours of
// checklist §1.1 ("Discovery, ...", "Aggregated Discovery ...", "Confirm a server version").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertStatus, type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
/** What kubectl 1.27–1.29 send for /api and /apis. */
const ACCEPT_127 = `${V2BETA1},application/json`;
/** What kubectl 1.30–1.33 send. */
const ACCEPT_133 = `${V2},${V2BETA1},application/json`;
const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

async function json(path: string, accept = "application/json, */*"): Promise<Obj> {
  const res = await s.get(path).set("Accept", accept);
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  assert.match(String(res.headers["content-type"]), /^application\/json/);
  return JSON.parse(res.text) as Obj;
}

const entry = (list: Obj, name: string): Obj => {
  const e = (list.resources as Obj[]).find((r) => r.name === name);
  assert.ok(e, `${list.groupVersion} has no ${name}`);
  return e;
};

/** Every group/version /apis advertises, preferred first, plus core v1. */
async function advertisedGroupVersions(): Promise<string[]> {
  const groups = (await json("/apis")).groups as Obj[];
  return ["v1", ...groups.flatMap((g) => (g.versions as Obj[]).map((v) => v.groupVersion as string))];
}

describe("legacy discovery documents", () => {
  it("/api is an APIVersions with v1 and the server address", async () => {
    const doc = await json("/api");
    assert.equal(doc.kind, "APIVersions");
    assert.deepEqual(doc.versions, ["v1"]);
    assert.equal(doc.serverAddressByClientCIDRs[0].clientCIDR, "0.0.0.0/0");
    assert.match(doc.serverAddressByClientCIDRs[0].serverAddress, /:\d+$/);
  });

  it("Discovery, confirm the PreferredVersion for each api group", async () => {
    const doc = await json("/apis");
    assert.equal(doc.kind, "APIGroupList");
    assert.equal(doc.apiVersion, "v1");
    const groups = doc.groups as Obj[];
    assert.ok(!groups.some((g) => g.name === ""), "the core group is not part of /apis");
    for (const g of groups) {
      assert.ok(g.versions.length > 0, g.name);
      assert.deepEqual(g.preferredVersion, g.versions[0], `${g.name}: preferred version is listed first`);
      for (const v of g.versions as Obj[]) assert.equal(v.groupVersion, `${g.name}/${v.version}`);
    }
    const apps = groups.find((g) => g.name === "apps");
    assert.deepEqual(apps?.preferredVersion, { groupVersion: "apps/v1", version: "v1" });
    const autoscaling = groups.find((g) => g.name === "autoscaling");
    assert.deepEqual(
      autoscaling?.versions.map((v: Obj) => v.version),
      ["v2", "v1"],
      "autoscaling/v2 is preferred over v1",
    );
  });

  it("/apis/<group> is an APIGroup; an unknown group is a 404 Status", async () => {
    const apps = await json("/apis/apps");
    assert.equal(apps.kind, "APIGroup");
    assert.equal(apps.name, "apps");
    assert.deepEqual(apps.versions, [{ groupVersion: "apps/v1", version: "v1" }]);
    assert.deepEqual(apps.preferredVersion, { groupVersion: "apps/v1", version: "v1" });
    assertStatus(await s.get("/apis/nope.example.com"), 404, "NotFound", "the server could not find the requested resource");
  });

  it("/api/v1 lists core resources with verbs, shortNames, categories and pods/status", async () => {
    const list = await json("/api/v1");
    assert.equal(list.kind, "APIResourceList");
    assert.equal(list.groupVersion, "v1");
    const pods = entry(list, "pods");
    assert.equal(pods.singularName, "pod");
    assert.equal(pods.namespaced, true);
    assert.equal(pods.kind, "Pod");
    assert.deepEqual(pods.verbs, ALL_VERBS);
    assert.deepEqual(pods.shortNames, ["po"]);
    assert.deepEqual(pods.categories, ["all"]);
    const status = entry(list, "pods/status");
    assert.equal(status.kind, "Pod");
    assert.equal(status.namespaced, true);
    assert.deepEqual(status.verbs, ["get", "patch", "update"]);
    assert.equal(status.group, undefined, "pods/status is in the list's own group/version");

    const cm = entry(list, "configmaps");
    assert.deepEqual(cm.shortNames, ["cm"]);
    assert.equal(cm.categories, undefined, "configmaps are in no category");
    const nodes = entry(list, "nodes");
    assert.equal(nodes.namespaced, false);
    assert.deepEqual(nodes.shortNames, ["no"]);
    const namespaces = entry(list, "namespaces");
    assert.equal(namespaces.namespaced, false);
    assert.ok(!namespaces.verbs.includes("deletecollection"), "namespaces cannot be deleted as a collection");
    assert.deepEqual(entry(list, "services").shortNames, ["svc"]);
    assert.equal(entry(list, "replicationcontrollers/scale").group, "autoscaling");
  });

  it("/apis/apps/v1: deployments/scale is autoscaling/v1 Scale, deployments/status a Deployment", async () => {
    const list = await json("/apis/apps/v1");
    assert.equal(list.groupVersion, "apps/v1");
    const deploy = entry(list, "deployments");
    assert.equal(deploy.kind, "Deployment");
    assert.equal(deploy.singularName, "deployment");
    assert.deepEqual(deploy.shortNames, ["deploy"]);
    assert.deepEqual(deploy.categories, ["all"]);
    assert.deepEqual(deploy.verbs, ALL_VERBS);
    const scale = entry(list, "deployments/scale");
    assert.equal(scale.group, "autoscaling");
    assert.equal(scale.version, "v1");
    assert.equal(scale.kind, "Scale");
    assert.equal(scale.namespaced, true);
    assert.deepEqual(scale.verbs, ["get", "patch", "update"]);
    const status = entry(list, "deployments/status");
    assert.equal(status.kind, "Deployment");
    assert.equal(status.group, undefined);
    assert.deepEqual(entry(list, "statefulsets").shortNames, ["sts"]);
    assert.deepEqual(entry(list, "replicasets/scale").kind, "Scale");
  });

  it("Discovery, confirm the groupVersion and a resource from each apiGroup: no advertised GV is a 404", async () => {
    for (const gv of await advertisedGroupVersions()) {
      const path = gv === "v1" ? "/api/v1" : `/apis/${gv}`;
      const list = await json(path);
      assert.equal(list.kind, "APIResourceList", path);
      assert.equal(list.groupVersion, gv, path);
      const resources = (list.resources as Obj[]).filter((r) => !r.name.includes("/"));
      assert.ok(resources.length > 0, `${gv} serves at least one resource`);
      for (const r of resources) {
        assert.ok(r.kind && r.singularName && Array.isArray(r.verbs) && r.verbs.length > 0, `${gv} ${r.name}`);
        if (!r.verbs.includes("list")) continue;
        const res = await s.get(`${path}/${r.name}?limit=1`);
        assert.equal(res.status, 200, `list ${gv} ${r.name}: ${res.text}`);
        assert.equal(JSON.parse(res.text).kind, `${r.kind}List`, `${gv} ${r.name}`);
      }
    }
    assertStatus(await s.get("/apis/apps/v1beta1"), 404, "NotFound");
    assertStatus(await s.get("/api/v2"), 404, "NotFound");
  });

  it(
    "discovery answers an unsatisfiable Accept with 406 NotAcceptable",
    async () => {
    for (const path of ["/api", "/apis", "/api/v1", "/apis/apps/v1"]) {
        assertStatus(await s.get(path).set("Accept", "text/html"), 406, "NotAcceptable");
      }
    },
  );
});

describe("aggregated discovery", () => {
  async function aggregated(path: string, accept: string): Promise<{ contentType: string; doc: Obj }> {
    const res = await s.get(path).set("Accept", accept);
    assert.equal(res.status, 200, res.text);
    return { contentType: String(res.headers["content-type"]), doc: JSON.parse(res.text) as Obj };
  }

  it("Aggregated Discovery Endpoint Accept Headers: the first acceptable media type wins", async () => {
    const cases: [string, string, string][] = [
      ["kubectl 1.30+ (v2, v2beta1, json)", ACCEPT_133, V2],
      ["kubectl 1.27-1.29 (v2beta1, json)", ACCEPT_127, V2BETA1],
      ["v2 only", V2, V2],
      ["v2beta1 before v2", `${V2BETA1},${V2}`, V2BETA1],
      ["plain json first", `application/json,${V2}`, "application/json"],
      ["legacy client", "application/json, */*", "application/json"],
    ];
    for (const path of ["/api", "/apis"]) {
      for (const [name, accept, expected] of cases) {
        const { contentType, doc } = await aggregated(path, accept);
        assert.equal(contentType, expected, `${path} ${name}`);
        if (expected === "application/json") {
          assert.equal(doc.kind, path === "/api" ? "APIVersions" : "APIGroupList", `${path} ${name}`);
        } else {
          assert.equal(doc.kind, "APIGroupDiscoveryList", `${path} ${name}`);
          assert.equal(doc.apiVersion, `apidiscovery.k8s.io/${expected.includes("v=v2beta1") ? "v2beta1" : "v2"}`, `${path} ${name}`);
        }
      }
    }
  });

  it("v2 and v2beta1 documents differ only in apiVersion", async () => {
    for (const path of ["/api", "/apis"]) {
      const v2 = (await aggregated(path, V2)).doc;
      const v2beta1 = (await aggregated(path, V2BETA1)).doc;
      assert.deepEqual({ ...v2beta1, apiVersion: v2.apiVersion }, v2, path);
    }
  });

  it("Aggregated Discovery Interface: /api holds the core group, /apis the named groups with subresources", async () => {
    const core = (await aggregated("/api", V2)).doc;
    assert.equal(core.items.length, 1);
    assert.equal(core.items[0].metadata.name ?? "", "");
    assert.deepEqual(core.items[0].versions.map((v: Obj) => v.version), ["v1"]);
    const pods = (core.items[0].versions[0].resources as Obj[]).find((r) => r.resource === "pods")!;
    assert.deepEqual(pods.responseKind, { group: "", version: "v1", kind: "Pod" });
    assert.equal(pods.scope, "Namespaced");
    assert.equal(pods.singularResource, "pod");
    assert.ok((pods.subresources as Obj[]).some((sr) => sr.subresource === "status"));

    const groups = (await aggregated("/apis", V2)).doc.items as Obj[];
    assert.ok(!groups.some((g) => !g.metadata.name), "no core group in /apis");
    const apps = groups.find((g) => g.metadata.name === "apps")!;
    const v1 = apps.versions[0];
    assert.equal(v1.version, "v1");
    assert.equal(v1.freshness, "Current");
    const deploy = (v1.resources as Obj[]).find((r) => r.resource === "deployments")!;
    assert.deepEqual(deploy.responseKind, { group: "apps", version: "v1", kind: "Deployment" });
    assert.deepEqual(deploy.shortNames, ["deploy"]);
    assert.deepEqual(deploy.categories, ["all"]);
    const scale = (deploy.subresources as Obj[]).find((sr) => sr.subresource === "scale");
    assert.deepEqual(scale, { subresource: "scale", responseKind: { group: "autoscaling", version: "v1", kind: "Scale" }, verbs: ["get", "patch", "update"] });
    const nodes = ((await aggregated("/api", V2)).doc.items[0].versions[0].resources as Obj[]).find((r) => r.resource === "nodes")!;
    assert.equal(nodes.scope, "Cluster");
    const autoscaling = groups.find((g) => g.metadata.name === "autoscaling")!;
    assert.deepEqual(autoscaling.versions.map((v: Obj) => v.version), ["v2", "v1"], "first version = preferred");
  });

  it("aggregated and legacy discovery agree on every group, version, resource and subresource", async () => {
    const docs = [(await aggregated("/api", V2)).doc, (await aggregated("/apis", V2)).doc];
    const fromAggregated = new Map<string, string>();
    for (const doc of docs) {
      for (const g of doc.items as Obj[]) {
        for (const v of g.versions as Obj[]) {
          const gv = g.metadata.name ? `${g.metadata.name}/${v.version}` : v.version;
          for (const r of v.resources as Obj[]) {
            assert.ok(r.responseKind?.kind, `${gv} ${r.resource} has a responseKind (clients drop it otherwise)`);
            fromAggregated.set(`${gv} ${r.resource}`, `${r.responseKind.kind} ${r.verbs.join(",")} ${r.scope === "Namespaced"}`);
            for (const sr of (r.subresources ?? []) as Obj[]) {
              assert.ok(sr.responseKind?.kind, `${gv} ${r.resource}/${sr.subresource} has a responseKind`);
              fromAggregated.set(`${gv} ${r.resource}/${sr.subresource}`, `${sr.responseKind.kind} ${sr.verbs.join(",")} ${r.scope === "Namespaced"}`);
            }
          }
        }
      }
    }
    const fromLegacy = new Map<string, string>();
    for (const gv of await advertisedGroupVersions()) {
      const list = await json(gv === "v1" ? "/api/v1" : `/apis/${gv}`);
      for (const r of list.resources as Obj[]) fromLegacy.set(`${gv} ${r.name}`, `${r.kind} ${r.verbs.join(",")} ${r.namespaced}`);
    }
    assert.deepEqual([...fromAggregated.entries()].sort(), [...fromLegacy.entries()].sort());
  });

  it('category "all" holds exactly what upstream puts there', async () => {
    const members = new Set<string>();
    for (const path of ["/api", "/apis"]) {
      for (const g of (await aggregated(path, V2)).doc.items as Obj[]) {
        for (const v of g.versions as Obj[]) {
          for (const r of v.resources as Obj[]) {
            if ((r.categories ?? []).includes("all")) members.add(g.metadata.name ? `${r.resource}.${g.metadata.name}` : r.resource);
          }
        }
      }
    }
    assert.deepEqual([...members].sort(), [
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
});

describe("version, health and anonymous access", () => {
  it("Confirm a server version: /version has string major/minor and is readable without credentials", async () => {
    const res = await s.anon().get("/version");
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    const v = JSON.parse(res.text) as Obj;
    assert.equal(typeof v.major, "string");
    assert.equal(typeof v.minor, "string");
    assert.match(v.major, /^\d+$/);
    assert.match(v.minor, /^\d+$/);
    assert.equal(v.major, "1");
    assert.equal(v.minor, "33");
    assert.ok(v.gitVersion.startsWith(`v${v.major}.${v.minor}.`), v.gitVersion);
    for (const k of ["gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"]) assert.equal(typeof v[k], "string", k);
    assert.match(v.platform, /^linux\/(amd64|arm64)$/);
  });

  it("/healthz and /livez answer ok as text; /readyz?verbose lists the checks", async () => {
    for (const path of ["/healthz", "/livez", "/readyz", "/readyz/ping", "/livez/ping"]) {
      const res = await s.anon().get(path);
      assert.equal(res.status, 200, path);
      assert.match(String(res.headers["content-type"]), /^text\/plain/, path);
      assert.equal(res.text, "ok", path);
    }
    const res = await s.anon().get("/readyz?verbose");
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain/);
    const lines = res.text.trimEnd().split("\n");
    assert.equal(lines[0], "[+]ping ok");
    assert.ok(lines.includes("[+]etcd ok"), res.text);
    assert.equal(lines.at(-1), "readyz check passed");
    assert.ok(lines.slice(0, -1).every((l) => /^\[\+\]\S+ ok$/.test(l)), res.text);
    const livez = await s.get("/livez?verbose");
    assert.match(livez.text, /livez check passed\n$/);
    const excluded = await s.get("/readyz?verbose&exclude=etcd");
    assert.ok(excluded.text.includes("[+]etcd excluded: ok"), excluded.text);
    const missing = await s.get("/healthz/nope");
    assert.equal(missing.status, 404);
  });

  it("API paths need credentials: 401 Status without a token or with an unknown one", async () => {
    for (const path of ["/api", "/apis", "/api/v1", "/apis/apps/v1", "/api/v1/namespaces/default/configmaps"]) {
      assertStatus(await s.anon().get(path), 401, "Unauthorized", "Unauthorized");
      assertStatus(await s.anon().get(path).set("Authorization", "Bearer not-a-known-token"), 401, "Unauthorized");
    }
    const ok = await s.get("/api");
    assert.equal(ok.status, 200);
  });
});
