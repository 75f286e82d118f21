// Validation through the generic store (memory backend), as the API server wires it: the 422
// Invalid Status carries the message kubectl prints and one cause per field error.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdmissionChain } from "../../../src/admission/chain.js";
import { ApiError } from "../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { builtinResources } from "../../../src/registry/builtin/index.js";
import type { RequestContext } from "../../../src/registry/context.js";
import type { ResourceDefinition } from "../../../src/registry/definition.js";
import type { RestStorage } from "../../../src/registry/rest.js";
import { StorageSet } from "../../../src/registry/storage-set.js";
import { validationFor } from "../../../src/registry/validation/index.js";
import { MemoryBackend } from "../../../src/storage/backends/memory-backend.js";
import { defaultCacherOptions } from "../../../src/storage/cacher/cacher.js";
import { testContext } from "../builtin/context.js";

const defs: ResourceDefinition[] = builtinResources().map((d) => {
  const validation = d.validation ?? validationFor(d.group, d.kind);
  return validation ? { ...d, validation } : d;
});
const def = (group: string, plural: string): ResourceDefinition => defs.find((d) => d.group === group && d.plural === plural && !d.storage)!;

let backend: MemoryBackend;
let storage: StorageSet;
let ctx: RequestContext;

const rest = (group: string, plural: string): RestStorage => storage.restFor(def(group, plural), "")!;
const create = (r: RestStorage, obj: KubeObject) => r.create!(ctx, obj, { dryRun: false }) as Promise<KubeObject>;
const replace = (r: RestStorage, name: string, fn: (cur: KubeObject) => KubeObject) =>
  r.update!(ctx, name, async (cur) => fn(JSON.parse(JSON.stringify(cur!))), { dryRun: false }).then((res) => res.object);

async function rejects(p: Promise<unknown>, message: string, causes?: number): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, 422);
    assert.equal(err.reason, "Invalid");
    assert.equal(err.message, message);
    if (causes !== undefined) assert.equal(err.details?.causes?.length, causes);
    return true;
  });
}

before(async () => {
  ctx = testContext();
  backend = new MemoryBackend(() => ctx.clock.now());
  await backend.open();
  storage = new StorageSet(backend, new AdmissionChain(), defaultCacherOptions(ctx.clock));
  for (const d of [...defs.filter((x) => !x.storage), ...defs.filter((x) => x.storage)]) await storage.install(d);
});

after(async () => {
  storage.stop();
  await backend.close();
});

const container = { name: "web", image: "nginx" };
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [container] } };

describe("validation through the store", () => {
  it("Deployment without a selector", async () => {
    await rejects(
      create(rest("apps", "deployments"), { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec: { template } }),
      'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
      2,
    );
  });

  it("Deployment: a valid create, then an update that breaks the template and the selector", async () => {
    const deployments = rest("apps", "deployments");
    await create(deployments, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ok", namespace: "default" }, spec: { selector: { matchLabels: { app: "web" } }, template } });
    await rejects(
      replace(deployments, "ok", (cur) => {
        const spec = cur.spec as any;
        spec.selector = { matchLabels: { app: "api" } };
        spec.template.spec.containers[0].image = "";
        return cur;
      }),
      'Deployment.apps "ok" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`, spec.template.spec.containers[0].image: Required value, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"api"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable]',
      3,
    );
  });

  it("Pod without an image", async () => {
    await rejects(
      create(rest("", "pods"), { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "web" }] } }),
      'Pod "web" is invalid: spec.containers[0].image: Required value',
      1,
    );
  });

  it("Pod with several problems lists them in upstream's order", async () => {
    await rejects(
      create(rest("", "pods"), {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "multi", namespace: "default" },
        spec: { restartPolicy: "Sometimes", containers: [{ name: "Web", image: "nginx", volumeMounts: [{ name: "data", mountPath: "/data" }] }] },
      }),
      'Pod "multi" is invalid: [spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\'), spec.containers[0].volumeMounts[0].name: Not found: "data", spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
      3,
    );
  });

  it("Service without ports", async () => {
    await rejects(create(rest("", "services"), { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" } } }), 'Service "web" is invalid: spec.ports: Required value', 1);
  });

  it("ConfigMap with a bad key", async () => {
    await rejects(
      create(rest("", "configmaps"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data: { "a b": "x" } }),
      "ConfigMap \"cfg\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      1,
    );
  });

  it("Secret of type kubernetes.io/tls without its keys", async () => {
    await rejects(
      create(rest("", "secrets"), { apiVersion: "v1", kind: "Secret", metadata: { name: "tls", namespace: "default" }, type: "kubernetes.io/tls", data: {} }),
      'Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
      2,
    );
  });

  it("Job with the default restartPolicy, and an update of its template", async () => {
    const jobs = rest("batch", "jobs");
    await rejects(
      create(jobs, { apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi", namespace: "default" }, spec: { template: { spec: { containers: [container] } } } }),
      'Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      1,
    );
    await create(jobs, { apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi", namespace: "default" }, spec: { template: { spec: { restartPolicy: "Never", containers: [container] } } } });
    await rejects(
      replace(jobs, "pi", (cur) => {
        (cur.spec as any).template.spec.containers[0].image = "perl";
        return cur;
      }),
      'Job.batch "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable',
      1,
    );
  });

  it("CronJob with a bad schedule", async () => {
    await rejects(
      create(rest("batch", "cronjobs"), {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "hello", namespace: "default" },
        spec: { schedule: "*/5 * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [container] } } } } },
      }),
      'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "*/5 * * *": expected exactly 5 fields, found 4: [*/5 * * *]',
      1,
    );
  });

  it("Ingress path without pathType", async () => {
    await rejects(
      create(rest("networking.k8s.io", "ingresses"), {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "web", namespace: "default" },
        spec: { rules: [{ http: { paths: [{ path: "/", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
      }),
      'Ingress.networking.k8s.io "web" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
      1,
    );
  });

  it("metadata errors come first, then the kind's", async () => {
    await rejects(
      create(rest("", "configmaps"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad", namespace: "default" }, data: { "a b": "x" } }),
      "ConfigMap \"Bad\" is invalid: [metadata.name: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')]",
      2,
    );
  });
});
