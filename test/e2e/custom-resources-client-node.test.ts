// Custom resources (issue 5) through the official JavaScript client (@kubernetes/client-node 1.x)
// against the built server: a typed CustomResourceDefinition created and deleted with
// ApiextensionsV1Api, custom objects through KubernetesObjectApi (which finds the resource by
// discovery) and CustomObjectsApi (status and scale subresources, patch types, field selectors,
// validation errors), and an informer over a custom resource that sees adds, updates and deletes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ApiException,
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type ListWatch,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
  type V1JSONSchemaProps,
} from "@kubernetes/client-node";
import { eventually } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
interface CronTab extends KubernetesObject {
  spec?: { cronSpec?: string; image?: string; replicas?: number; [k: string]: unknown };
  status?: { replicas?: number; labelSelector?: string };
}

const GROUP = "stable.example.com";
const VERSION = "v1";
const PLURAL = "crontabs";
const API_VERSION = `${GROUP}/${VERSION}`;
const CRON_PATTERN = String.raw`^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$`;
const UNSUPPORTED_PATCH =
  "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** The CronTab CRD, typed: client-node's models name "default" `_default` and the x- extensions `x_kubernetes_*`. */
function cronTabCRD(group: string, plural = "crontabs", kind = "CronTab"): V1CustomResourceDefinition {
  const schema: V1JSONSchemaProps = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          cronSpec: { type: "string", pattern: CRON_PATTERN },
          image: { type: "string" },
          replicas: { type: "integer", minimum: 1, maximum: 10, _default: 1 },
        },
        x_kubernetes_validations: [{ rule: 'self.replicas <= 5 || self.image != ""', message: "more than 5 replicas need an image" }],
      },
      status: { type: "object", properties: { replicas: { type: "integer" }, labelSelector: { type: "string" } } },
    },
  };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural, singular: kind.toLowerCase(), kind, ...(plural === "crontabs" ? { shortNames: ["ct"] } : {}), categories: ["all"] },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".status.labelSelector" } },
          additionalPrinterColumns: [
            { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
            { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
        },
      ],
    },
  };
}

const cronTab = (name: string, namespace: string, spec: CronTab["spec"]): CronTab => ({ apiVersion: API_VERSION, kind: "CronTab", metadata: { name, namespace }, spec });
const conditions = (crd: V1CustomResourceDefinition) => Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));
const established = (crd: V1CustomResourceDefinition) => crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;

/** SIGTERM, and the exit code; a server still running after `ms` is killed and the test fails. */
async function stopWithin(server: ServerProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  const code = await Promise.race([server.stop(), timeout]);
  clearTimeout(timer);
  if (code === "timeout") {
    await server.kill9();
    assert.fail(`the server did not exit within ${ms} ms of SIGTERM; its stderr ends with:\n${server.stderr().slice(-1500)}`);
  }
  return code;
}

/** The Status a rejected call carried (client-node keeps the raw body on ApiException). */
function statusOf(err: unknown, code: number): Obj {
  assert.ok(err instanceof ApiException, String(err));
  assert.equal(err.code, code, String(err.body));
  return (typeof err.body === "string" ? JSON.parse(err.body) : err.body) as Obj;
}

describe("custom resources with @kubernetes/client-node", () => {
  let s: ServerProcess;
  let dataDir: string;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let ext: ApiextensionsV1Api;
  let custom: CustomObjectsApi;
  let objects: KubernetesObjectApi;

  before(async () => {
    dataDir = tempDir("custom-resources-client-node");
    s = await startServer({ dataDir });
    kc = new KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    ext = kc.makeApiClient(ApiextensionsV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    objects = KubernetesObjectApi.makeApiClient(kc);
    for (const name of ["objects", "custom", "informer"]) await core.createNamespace({ body: { metadata: { name } } });
    await ext.createCustomResourceDefinition({ body: cronTabCRD(GROUP) });
    await eventually(async () => established(await ext.readCustomResourceDefinition({ name: `${PLURAL}.${GROUP}` })), 10_000, "the CronTab CRD to be established");
  });
  after(async () => {
    try {
      if (s) assert.equal(await stopWithin(s, 10_000), 0);
    } finally {
      if (dataDir) removeDir(dataDir);
    }
  });

  it("[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin] Simple CustomResourceDefinition creating/deleting custom resource definition objects works", async () => {
    const body = cronTabCRD("create.example.com", "noxus", "Noxu");
    const created = await ext.createCustomResourceDefinition({ body });
    assert.equal(created.metadata!.name, "noxus.create.example.com");
    assert.ok(created.metadata!.creationTimestamp instanceof Date);
    // The typed model round-trips the schema's default and CEL rule.
    const spec = created.spec.versions[0]!.schema!.openAPIV3Schema!.properties!.spec!;
    assert.equal(spec.properties!.replicas!._default, 1);
    assert.deepEqual(
      spec.x_kubernetes_validations?.map((r) => ({ ...r })),
      [{ rule: 'self.replicas <= 5 || self.image != ""', message: "more than 5 replicas need an image" }],
    );

    const crd = await eventually(async () => {
      const got = await ext.readCustomResourceDefinition({ name: "noxus.create.example.com" });
      return established(got) && got;
    }, 10_000, "Established");
    assert.deepEqual(conditions(crd), {
      NamesAccepted: ["True", "NoConflicts", "no conflicts found"],
      Established: ["True", "InitialNamesAccepted", "the initial names have been accepted"],
    });
    assert.deepEqual({ ...crd.status!.acceptedNames }, { plural: "noxus", singular: "noxu", kind: "Noxu", listKind: "NoxuList", categories: ["all"] });
    assert.deepEqual(crd.status!.storedVersions, ["v1"]);
    const list = await ext.listCustomResourceDefinition({ fieldSelector: "metadata.name=noxus.create.example.com" });
    assert.deepEqual(
      list.items.map((c) => c.metadata!.name),
      ["noxus.create.example.com"],
    );

    await ext.deleteCustomResourceDefinition({ name: "noxus.create.example.com" });
    await eventually(
      async () => {
        try {
          await ext.readCustomResourceDefinition({ name: "noxus.create.example.com" });
          return false;
        } catch (err) {
          return statusOf(err, 404).reason === "NotFound";
        }
      },
      10_000,
      "the CRD to be gone",
    );
    await assert.rejects(custom.listNamespacedCustomObject({ group: "create.example.com", version: VERSION, namespace: "default", plural: "noxus" }), (err: unknown) => {
      statusOf(err, 404);
      return true;
    });
  });

  it("KubernetesObjectApi: create, read, list, patch (merge and server-side apply; strategic merge is refused with 415) and delete a custom object", async () => {
    const ns = "objects";
    const created = await objects.create(cronTab("obj", ns, { cronSpec: "* * * * */5", image: "a" }));
    assert.equal(created.kind, "CronTab");
    assert.equal(created.apiVersion, API_VERSION);
    assert.deepEqual(created.spec, { cronSpec: "* * * * */5", image: "a", replicas: 1 }, "replicas is defaulted");
    assert.equal(created.metadata!.generation, 1);
    assert.ok(created.metadata!.uid);

    const read = await objects.read<CronTab>({ apiVersion: API_VERSION, kind: "CronTab", metadata: { name: "obj", namespace: ns } });
    assert.equal(read.metadata!.uid, created.metadata!.uid);
    assert.equal(read.metadata!.resourceVersion, created.metadata!.resourceVersion);

    const list = await objects.list<CronTab>(API_VERSION, "CronTab", ns);
    assert.deepEqual(
      list.items.map((o) => o.metadata!.name),
      ["obj"],
    );
    assert.match(list.metadata!.resourceVersion!, /^\d+$/);

    // KubernetesObjectApi patches with a strategic merge patch unless told otherwise: custom resources refuse it.
    await assert.rejects(objects.patch(cronTab("obj", ns, { image: "b" })), (err: unknown) => {
      const status = statusOf(err, 415);
      assert.equal(status.reason, "UnsupportedMediaType");
      assert.equal(status.message, UNSUPPORTED_PATCH);
      return true;
    });
    const merged = (await objects.patch(cronTab("obj", ns, { image: "b" }), undefined, undefined, undefined, undefined, PatchStrategy.MergePatch)) as CronTab;
    assert.deepEqual(merged.spec, { cronSpec: "* * * * */5", image: "b", replicas: 1 });
    assert.equal(merged.metadata!.generation, 2);

    const applied = (await objects.patch(cronTab("applied", ns, { cronSpec: "*/5 * * * *", image: "c", replicas: 2 }), undefined, undefined, "client-node", undefined, PatchStrategy.ServerSideApply)) as CronTab;
    assert.deepEqual(applied.spec, { cronSpec: "*/5 * * * *", image: "c", replicas: 2 });
    assert.deepEqual(
      applied.metadata!.managedFields!.map((e) => [e.manager, e.operation, e.apiVersion]),
      [["client-node", "Apply", API_VERSION]],
    );

    const status = await objects.delete(cronTab("obj", ns, {}));
    assert.equal(status.status, "Success");
    assert.deepEqual({ ...status.details }, { name: "obj", group: GROUP, kind: PLURAL, uid: created.metadata!.uid });
    await assert.rejects(objects.read({ apiVersion: API_VERSION, kind: "CronTab", metadata: { name: "obj", namespace: ns } }), (err: unknown) => {
      const st = statusOf(err, 404);
      assert.equal(st.message, `crontabs.${GROUP} "obj" not found`);
      assert.deepEqual(st.details, { name: "obj", group: GROUP, kind: PLURAL });
      return true;
    });
  });

  it("CustomObjectsApi: create, get, list with a field selector, JSON and merge patch, status and scale subresources, delete", async () => {
    const ns = "custom";
    const base = { group: GROUP, version: VERSION, namespace: ns, plural: PLURAL };
    const a = (await custom.createNamespacedCustomObject({ ...base, body: cronTab("a", ns, { cronSpec: "* * * * */5", image: "a" }) })) as CronTab;
    assert.equal(a.spec!.replicas, 1);
    await custom.createNamespacedCustomObject({ ...base, body: cronTab("b", ns, { cronSpec: "* * * * */5", image: "b" }) });

    const got = (await custom.getNamespacedCustomObject({ ...base, name: "a" })) as CronTab;
    assert.equal(got.metadata!.resourceVersion, a.metadata!.resourceVersion);
    const all = (await custom.listNamespacedCustomObject(base)) as Obj;
    assert.equal(all.kind, "CronTabList");
    assert.equal(all.apiVersion, API_VERSION);
    assert.deepEqual(
      (all.items as CronTab[]).map((o) => o.metadata!.name),
      ["a", "b"],
    );
    const selected = (await custom.listNamespacedCustomObject({ ...base, fieldSelector: "metadata.name=b" })) as Obj;
    assert.deepEqual(
      (selected.items as CronTab[]).map((o) => o.metadata!.name),
      ["b"],
    );
    const cluster = (await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })) as Obj;
    assert.ok((cluster.items as CronTab[]).some((o) => o.metadata!.namespace === ns && o.metadata!.name === "a"));

    // CustomObjectsApi sends a JSON patch by default; a merge patch takes a header option.
    const jsonPatched = (await custom.patchNamespacedCustomObject({ ...base, name: "a", body: [{ op: "replace", path: "/spec/image", value: "a2" }] })) as CronTab;
    assert.equal(jsonPatched.spec!.image, "a2");
    assert.equal(jsonPatched.metadata!.generation, 2);
    const merged = (await custom.patchNamespacedCustomObject({ ...base, name: "a", body: { spec: { replicas: 2 } } }, mergePatch)) as CronTab;
    assert.equal(merged.spec!.replicas, 2);
    assert.equal(merged.metadata!.generation, 3);

    const withStatus = (await custom.patchNamespacedCustomObjectStatus({ ...base, name: "a", body: { status: { replicas: 2, labelSelector: "app=a" }, spec: { replicas: 9 } } }, mergePatch)) as CronTab;
    assert.deepEqual(withStatus.status, { replicas: 2, labelSelector: "app=a" });
    assert.equal(withStatus.spec!.replicas, 2, "the status subresource does not write spec");
    assert.equal(withStatus.metadata!.generation, 3, "a status write does not change the generation");
    const mainWrite = (await custom.patchNamespacedCustomObject({ ...base, name: "a", body: { status: { replicas: 7 } } }, mergePatch)) as CronTab;
    assert.equal(mainWrite.status!.replicas, 2, "the main resource does not write status");

    const scale = (await custom.getNamespacedCustomObjectScale({ ...base, name: "a" })) as Obj;
    assert.deepEqual(
      { kind: scale.kind, apiVersion: scale.apiVersion, name: scale.metadata.name, spec: scale.spec, status: scale.status },
      { kind: "Scale", apiVersion: "autoscaling/v1", name: "a", spec: { replicas: 2 }, status: { replicas: 2, selector: "app=a" } },
    );
    const scaled = (await custom.patchNamespacedCustomObjectScale({ ...base, name: "a", body: { spec: { replicas: 4 } } }, mergePatch)) as Obj;
    assert.equal(scaled.kind, "Scale");
    assert.equal(scaled.spec.replicas, 4);
    const afterScale = (await custom.getNamespacedCustomObject({ ...base, name: "a" })) as CronTab;
    assert.equal(afterScale.spec!.replicas, 4);
    assert.equal(afterScale.metadata!.generation, 4);
    const replaced = (await custom.replaceNamespacedCustomObjectScale({ ...base, name: "a", body: { ...scale, metadata: { ...scale.metadata, resourceVersion: undefined }, spec: { replicas: 5 } } })) as Obj;
    assert.equal(replaced.spec.replicas, 5);

    const deleted = (await custom.deleteNamespacedCustomObject({ ...base, name: "b" })) as Obj;
    assert.equal(deleted.status, "Success");
    const left = (await custom.listNamespacedCustomObject(base)) as Obj;
    assert.deepEqual(
      (left.items as CronTab[]).map((o) => o.metadata!.name),
      ["a"],
    );
  });

  it("CustomObjectsApi: an invalid custom object is refused with 422 and a cause per failing field; a violated CEL rule returns its message", async () => {
    const base = { group: GROUP, version: VERSION, namespace: "custom", plural: PLURAL };
    await assert.rejects(custom.createNamespacedCustomObject({ ...base, body: cronTab("bad", "custom", { cronSpec: "x", image: "a", replicas: 20 }) }), (err: unknown) => {
      const status = statusOf(err, 422);
      assert.equal(status.reason, "Invalid");
      assert.equal(status.details.name, "bad");
      assert.equal(status.details.group, GROUP);
      assert.equal(status.details.kind, "CronTab");
      const causes = (status.details.causes as Obj[]).map((c) => `${c.reason} ${c.field}: ${c.message}`).sort();
      assert.deepEqual(causes, [
        `FieldValueInvalid spec.cronSpec: Invalid value: "x": spec.cronSpec in body should match '${CRON_PATTERN}'`,
        "FieldValueInvalid spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
      ]);
      assert.match(status.message, /^CronTab\.stable\.example\.com "bad" is invalid: \[/);
      return true;
    });
    await assert.rejects(custom.createNamespacedCustomObject({ ...base, body: cronTab("cel", "custom", { cronSpec: "* * * * */5", image: "", replicas: 7 }) }), (err: unknown) => {
      const status = statusOf(err, 422);
      assert.equal(status.message, 'CronTab.stable.example.com "cel" is invalid: spec: Invalid value: "object": more than 5 replicas need an image');
      assert.deepEqual(status.details.causes, [{ reason: "FieldValueInvalid", message: 'Invalid value: "object": more than 5 replicas need an image', field: "spec" }]);
      return true;
    });
  });

  it("[sig-api-machinery] CustomResourceDefinition Watch [Privileged:ClusterAdmin] CustomResourceDefinition Watch watch on custom resource definition objects", async () => {
    const ns = "informer";
    const base = { group: GROUP, version: VERSION, namespace: ns, plural: PLURAL };
    await custom.createNamespacedCustomObject({ ...base, body: cronTab("pre", ns, { cronSpec: "* * * * */5", image: "p" }) });
    // makeInformer is declared to return an Informer; the object is a ListWatch (an ObjectCache too).
    const informer = makeInformer<CronTab>(kc, `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${PLURAL}`, () => custom.listNamespacedCustomObject(base)) as ListWatch<CronTab>;
    const log: string[] = [];
    const errors: unknown[] = [];
    informer.on("add", (o) => log.push(`add ${o.metadata!.name}`));
    informer.on("update", (o) => log.push(`update ${o.metadata!.name} ${JSON.stringify(o.spec)} ${JSON.stringify(o.status ?? {})}`));
    informer.on("delete", (o) => log.push(`delete ${o.metadata!.name}`));
    informer.on("error", (e) => errors.push(e));
    await informer.start();
    try {
      await eventually(() => log.includes("add pre"), 10_000, "the listed custom object");
      await custom.createNamespacedCustomObject({ ...base, body: cronTab("i1", ns, { cronSpec: "* * * * */5", image: "a" }) });
      await eventually(() => log.includes("add i1"), 10_000, "add i1");
      await custom.patchNamespacedCustomObject({ ...base, name: "i1", body: { spec: { image: "b" } } }, mergePatch);
      const specUpdate = `update i1 {"cronSpec":"* * * * */5","image":"b","replicas":1} {}`;
      await eventually(() => log.includes(specUpdate), 10_000, "the spec update of i1");
      await custom.patchNamespacedCustomObjectStatus({ ...base, name: "i1", body: { status: { replicas: 1 } } }, mergePatch);
      const statusUpdate = `update i1 {"cronSpec":"* * * * */5","image":"b","replicas":1} {"replicas":1}`;
      await eventually(() => log.includes(statusUpdate), 10_000, "the status update of i1");
      await custom.deleteNamespacedCustomObject({ ...base, name: "pre" });
      await eventually(() => log.includes("delete pre"), 10_000, "delete pre");
      assert.deepEqual(log, ["add pre", "add i1", specUpdate, statusUpdate, "delete pre"]);
      assert.deepEqual(errors, []);
      const server = (await custom.listNamespacedCustomObject(base)) as Obj;
      assert.deepEqual(
        informer.list(ns).map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`),
        (server.items as CronTab[]).map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`),
      );
    } finally {
      await informer.stop();
    }
  });
});
