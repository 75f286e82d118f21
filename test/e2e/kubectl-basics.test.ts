// Real kubectl (1.27, 1.30, 1.33 and the version-dispatching /usr/bin/kubectl) against the built
// server, one server per kubectl version: discovery (version, cluster-info, api-resources,
// api-versions), explain, create/apply/replace of a multi-document manifest, human and machine
// output of get (tables, wide, yaml, json, name, jsonpath, -A, selectors, labels, chunking, watch),
// label/annotate/patch (merge, json, strategic), delete (single, --all, waiting), wait, set image
// and rollout restart/pause/resume. Every successful command must leave stderr empty, as it does
// against a real 1.33 cluster. Differences that come from the server are kept as `todo` tests.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { eventually, type Kubectl, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.27", "1.30", "1.33", "default"] as const;
/** The client minor each binary reports (the dispatcher runs the binary matching the server: 1.33). */
const CLIENT_MINOR: Record<string, number> = { "1.27": 27, "1.30": 30, "1.33": 33, default: 33 };

// Fail loudly (not skip) when a binary is missing.
for (const v of VERSIONS) kubectlPath(v);

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const AGE = /^(\d+s|\d+m(\d+s)?|\d+h(\d+m)?)$/;

interface Table {
  header: string[];
  rows: Record<string, string>[];
}
/** Parses kubectl's aligned table output (one table per blank-line-separated block). */
function tables(out: string): Table[] {
  return out
    .split(/\n\s*\n/)
    .map((block) => block.split("\n").filter((l) => l.length > 0))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const header = lines[0]!;
      const cols: { name: string; start: number }[] = [];
      for (const m of header.matchAll(/\S+(?: \S+)*/g)) cols.push({ name: m[0], start: m.index! });
      const rows = lines.slice(1).map((line) => {
        const row: Record<string, string> = {};
        cols.forEach((c, i) => {
          const end = i + 1 < cols.length ? cols[i + 1]!.start : undefined;
          row[c.name] = line.slice(c.start, end).trim();
        });
        return row;
      });
      return { header: cols.map((c) => c.name), rows };
    });
}
function table(out: string): Table {
  const all = tables(out);
  assert.equal(all.length, 1, `expected one table, got:\n${out}`);
  return all[0]!;
}
function rowNamed(t: Table, name: string, col = "NAME"): Record<string, string> {
  const row = t.rows.find((r) => r[col] === name);
  assert.ok(row, `no row ${name} in ${JSON.stringify(t.rows)}`);
  return row;
}
const lines = (out: string) => out.split("\n").filter(Boolean);
/** Whether an IPv4 address lies in the default service CIDR 10.96.0.0/12 (10.96.0.0–10.111.255.255). */
function inServiceCIDR(ip: string): boolean {
  const m = /^10\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return !!m && Number(m[1]) >= 96 && Number(m[1]) <= 111 && Number(m[2]) <= 255 && Number(m[3]) <= 255;
}

function manifest(ns: string, opts: { cmData?: Record<string, string>; replicas?: number } = {}): string {
  const data = opts.cmData ?? { a: "1", b: "2" };
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-cfg
  namespace: ${ns}
  labels:
    app: web
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join("\n")}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
  namespace: ${ns}
  labels:
    app: web
type: Opaque
data:
  password: aHVudGVyMg==
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels:
    app: web
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 8080
`;
}
const RESULT_LINES = (ns: string, verb: (kind: string) => string) =>
  [`namespace/${ns} ${verb("ns")}`, `configmap/app-cfg ${verb("cm")}`, `secret/app-secret ${verb("secret")}`, `service/web ${verb("svc")}`, `deployment.apps/web ${verb("deploy")}`].join("\n") + "\n";

/** Collects a long-running kubectl's output and waits for conditions on it. */
function follow(child: ChildProcess) {
  let stdout = "";
  let stderr = "";
  let exited: number | null | undefined;
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
    poke();
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    poke();
  });
  const exit = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exited = code;
      poke();
      resolve(code);
    }),
  );
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    until(what: string, pred: (out: string, err: string) => boolean, ms = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(stdout, stderr)) done(resolve);
          else if (exited !== undefined) done(() => reject(new Error(`kubectl exited (${exited}) before ${what}\nstdout: ${stdout}\nstderr: ${stderr}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}\nstdout: ${stdout}\nstderr: ${stderr}`))), ms);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      });
    },
    async kill() {
      if (exited === undefined) {
        child.kill("SIGTERM");
        await exit;
      }
    },
  };
}
/** -v=6 logs the response line of the watch request once its headers arrived. */
const WATCH_ESTABLISHED = /watch=true.*200 OK/;

// The versions run side by side (one server each); the steps of one version run in order.
describe("kubectl against kubefacade", { concurrency: true }, () => {
  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: ServerProcess;
      let dir: string;
      let k: Kubectl;
      const children: ReturnType<typeof follow>[] = [];
      const file = (name: string, text: string) => {
        const p = path.join(dir, name);
        writeFileSync(p, text);
        return p;
      };
      const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
      /** Waits until a new namespace also holds what the controllers put in every namespace:
       * the kube-root-ca.crt ConfigMap and the default ServiceAccount. */
      const namespacePopulated = async (ns: string, configMaps: string[]) => {
        const want = [...configMaps, "kube-root-ca.crt"].sort().map((n) => `configmap/${n}\n`).join("");
        await eventually(async () => (await k.ok(["get", "configmaps", "-n", ns, "-o", "name"])) === want, 10_000, `the configmaps of ${ns}: ${want}`);
        await eventually(async () => (await k.ok(["get", "serviceaccounts", "-n", ns, "-o", "name"])) === "serviceaccount/default\n", 10_000, `serviceaccount/default in ${ns}`);
      };
      const watch = (args: string[]) => {
        const f = follow(k.spawn(args));
        children.push(f);
        return f;
      };

      before(async () => {
        dir = tempDir(`kubectl-${version}`); // holds the server's data too, so a failed start leaves nothing behind
        server = await startServer({ dataDir: subdir(dir, "data") });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
      });
      after(async () => {
        for (const c of children) await c.kill();
        if (server) assert.equal(await server.stop(), 0);
        if (dir) removeDir(dir);
      });

      it("version reports a v1.33 server", async () => {
        const r = await k.run(["version", "-o", "json"]);
        assert.equal(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout) as Obj;
        assert.match(v.serverVersion.gitVersion, /^v1\.33\.\d+$/);
        assert.equal(v.serverVersion.major, "1");
        assert.equal(v.serverVersion.minor, "33");
        assert.equal(v.serverVersion.platform, "linux/amd64");
        assert.match(v.serverVersion.goVersion, /^go1\.\d+/);
        assert.equal(v.clientVersion.minor, String(CLIENT_MINOR[version]));
        // The skew warning is kubectl's own and is printed against a real 1.33 cluster too.
        const skewWarning = 33 - CLIENT_MINOR[version]! > 1 ? `WARNING: version difference between client (1.${CLIENT_MINOR[version]}) and server (1.33) exceeds the supported minor version skew of +/-1\n` : "";
        assert.equal(r.stderr, skewWarning);
        if (version !== "1.27") {
          // 1.27's plain output is deprecated and warns; the others print short lines.
          const plain = await k.run(["version"]);
          assert.equal(plain.code, 0);
          assert.equal(plain.stderr, skewWarning);
          assert.match(plain.stdout, /^Client Version: v1\.\d+\.\d+\nKustomize Version: \S+\nServer Version: v1\.33\.\d+\n$/);
        }
      });

      it("cluster-info", async () => {
        const out = stripAnsi(await k.ok(["cluster-info"]));
        assert.equal(out, `Kubernetes control plane is running at ${server.url}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
      });

      it("api-resources", async () => {
        const t = table(await k.ok(["api-resources"]));
        assert.deepEqual(t.header, ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
        const expect: [string, string, string, string, string][] = [
          ["pods", "po", "v1", "true", "Pod"],
          ["configmaps", "cm", "v1", "true", "ConfigMap"],
          ["secrets", "", "v1", "true", "Secret"],
          ["services", "svc", "v1", "true", "Service"],
          ["namespaces", "ns", "v1", "false", "Namespace"],
          ["nodes", "no", "v1", "false", "Node"],
          ["serviceaccounts", "sa", "v1", "true", "ServiceAccount"],
          ["persistentvolumeclaims", "pvc", "v1", "true", "PersistentVolumeClaim"],
          ["deployments", "deploy", "apps/v1", "true", "Deployment"],
          ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
          ["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
          ["daemonsets", "ds", "apps/v1", "true", "DaemonSet"],
          ["jobs", "", "batch/v1", "true", "Job"],
          ["cronjobs", "cj", "batch/v1", "true", "CronJob"],
          ["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true", "HorizontalPodAutoscaler"],
          ["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition"],
          ["ingresses", "ing", "networking.k8s.io/v1", "true", "Ingress"],
          ["clusterroles", "", "rbac.authorization.k8s.io/v1", "false", "ClusterRole"],
          ["leases", "", "coordination.k8s.io/v1", "true", "Lease"],
        ];
        for (const [name, short, gv, namespaced, kind] of expect) {
          const row = t.rows.find((r) => r.NAME === name && r.APIVERSION === gv);
          assert.ok(row, `api-resources has no ${name} in ${gv}`);
          assert.deepEqual([row.SHORTNAMES, row.NAMESPACED, row.KIND], [short, namespaced, kind], name);
        }
        // Subresources are never listed; core events and events.k8s.io events both are.
        assert.ok(!t.rows.some((r) => r.NAME!.includes("/")));
        assert.deepEqual(
          t.rows.filter((r) => r.NAME === "events").map((r) => r.APIVERSION),
          ["v1", "events.k8s.io/v1"],
        );
        assert.equal(await k.ok(["api-resources", "--api-group=apps", "-o", "name"]), "controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n");
        const wide = table(await k.ok(["api-resources", "-o", "wide", "--api-group="]));
        assert.deepEqual(wide.header, ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS", "CATEGORIES"]);
        const pods = rowNamed(wide, "pods");
        assert.match(pods.VERBS!, /create.*delete.*deletecollection.*get.*list.*patch.*update.*watch/);
        assert.equal(pods.CATEGORIES, "all");
      });

      it("api-resources lists what a real 1.33 server serves (bindings, componentstatuses, apiservices)", async () => {
        const names = table(await k.ok(["api-resources"])).rows.map((r) => `${r.NAME} ${r.APIVERSION}`);
        for (const n of ["bindings v1", "componentstatuses v1", "apiservices apiregistration.k8s.io/v1"]) assert.ok(names.includes(n), `missing ${n}`);
      });

      it("get componentstatuses (deprecated) and apiservices", async () => {
        const cs = await k.run(["get", "cs"]);
        assert.equal(cs.code, 0, cs.stderr);
        assert.match(cs.stderr, /Warning: v1 ComponentStatus is deprecated in v1\.19\+/);
        const t = table(cs.stdout);
        assert.deepEqual(t.header, ["NAME", "STATUS", "MESSAGE", "ERROR"]);
        assert.deepEqual(t.rows.map((r) => r.NAME).sort(), ["controller-manager", "etcd-0", "scheduler"]);
        for (const r of t.rows) assert.deepEqual([r.STATUS, r.MESSAGE, r.ERROR], ["Healthy", "ok", ""], r.NAME);
        const api = table(await k.ok(["get", "apiservices"]));
        assert.deepEqual(api.header, ["NAME", "SERVICE", "AVAILABLE", "AGE"]);
        for (const n of ["v1.", "v1.apps", "v2.autoscaling"]) {
          const row = rowNamed(api, n);
          assert.deepEqual([row.SERVICE, row.AVAILABLE], ["Local", "True"], n);
          assert.match(row.AGE!, AGE);
        }
        assert.ok(!api.rows.some((r) => r.NAME === "v1.apiregistration.k8s.io"));
      });

      it("explain apiservice.spec", async () => {
        const out = await k.ok(["explain", "apiservice.spec"]);
        const l = out.split("\n");
        assert.deepEqual(l.slice(0, 3), ["GROUP:      apiregistration.k8s.io", "KIND:       APIService", "VERSION:    v1"]);
        assert.ok(l.includes("FIELD: spec <APIServiceSpec>"), out);
        assert.ok(l.includes("  groupPriorityMinimum\t<integer> -required-"), out);
        assert.ok(l.includes("  service\t<ServiceReference>"), out);
      });

      it("api-versions", async () => {
        const got = lines(await k.ok(["api-versions"]));
        assert.deepEqual(got, [...got].sort(), "sorted");
        for (const gv of [
          "v1",
          "apps/v1",
          "batch/v1",
          "autoscaling/v1",
          "autoscaling/v2",
          "policy/v1",
          "networking.k8s.io/v1",
          "rbac.authorization.k8s.io/v1",
          "storage.k8s.io/v1",
          "apiextensions.k8s.io/v1",
          "admissionregistration.k8s.io/v1",
          "coordination.k8s.io/v1",
          "discovery.k8s.io/v1",
          "events.k8s.io/v1",
          "authentication.k8s.io/v1",
          "authorization.k8s.io/v1",
          "certificates.k8s.io/v1",
          "scheduling.k8s.io/v1",
          "node.k8s.io/v1",
          "flowcontrol.apiserver.k8s.io/v1",
        ]) {
          assert.ok(got.includes(gv), `api-versions lacks ${gv}`);
        }
        assert.ok(!got.some((gv) => /v\d+alpha\d+$/.test(gv)), `no alpha versions are enabled by default: ${got.join(" ")}`);
      });

      it("explain pod.spec.containers", async () => {
        const out = await k.ok(["explain", "pod.spec.containers"]);
        const l = out.split("\n");
        assert.equal(l[0], "KIND:       Pod");
        assert.equal(l[1], "VERSION:    v1");
        assert.ok(l.includes("FIELD: containers <[]Container>"), out.slice(0, 400));
        assert.ok(l.includes("DESCRIPTION:"));
        assert.match(out, /\n {4}List of containers belonging to the pod\. Containers cannot currently be\n {4}added or removed\. There must be at least one container in a Pod\. Cannot be\n {4}updated\.\n/);
        assert.ok(l.includes("FIELDS:"));
        assert.ok(l.includes("  image\t<string>"));
        assert.ok(l.includes("  name\t<string> -required-"));
        assert.ok(l.includes("  ports\t<[]ContainerPort>"));
        assert.ok(l.includes("  resources\t<ResourceRequirements>"));
      });

      it("explain deployment.spec.strategy", async () => {
        const out = await k.ok(["explain", "deployment.spec.strategy"]);
        const l = out.split("\n");
        assert.deepEqual(l.slice(0, 3), ["GROUP:      apps", "KIND:       Deployment", "VERSION:    v1"]);
        assert.ok(l.includes("FIELD: strategy <DeploymentStrategy>"), out);
        assert.match(out, /DESCRIPTION:\n {4}The deployment strategy to use to replace existing pods with new ones\.\n {4}DeploymentStrategy describes how to replace existing pods with new ones\.\n/);
        assert.ok(l.includes("  rollingUpdate\t<RollingUpdateDeployment>"));
        assert.ok(l.includes("  type\t<string>"));
        // kubectl 1.28+ print the enum line; 1.27's template has no enum section.
        if (version !== "1.27") assert.ok(l.includes("  enum: Recreate, RollingUpdate"), out);
        assert.match(out, /Type of deployment\. Can be "Recreate" or "RollingUpdate"\. Default is\n {4}RollingUpdate\./);
        assert.match(out, /Possible enum values:\n {5}- `"Recreate"` Kill all existing pods before creating new ones\.\n/);
      });

      it("create -f of a multi-document manifest", async () => {
        const out = await k.ok(["create", "-f", file("created.yaml", manifest("created"))]);
        assert.equal(out, RESULT_LINES("created", () => "created"));
        await namespacePopulated("created", ["app-cfg"]);
        const cm = await json(["get", "configmap", "app-cfg", "-n", "created"]);
        assert.deepEqual(cm.data, { a: "1", b: "2" });
        assert.equal(cm.metadata.annotations, undefined, "create does not add last-applied");
        const secret = await json(["get", "secret", "app-secret", "-n", "created"]);
        assert.equal(secret.data.password, "aHVudGVyMg==");
      });

      it("apply -f creates, re-apply is unchanged, a changed manifest is configured", async () => {
        const p = file("applied.yaml", manifest("demo"));
        assert.equal(await k.ok(["apply", "-f", p]), RESULT_LINES("demo", () => "created"));
        await namespacePopulated("demo", ["app-cfg"]);
        assert.equal(await k.ok(["apply", "-f", p]), RESULT_LINES("demo", () => "unchanged"));
        const changed = file("applied-2.yaml", manifest("demo", { cmData: { a: "1", b: "20", c: "3" }, replicas: 3 }));
        assert.equal(await k.ok(["apply", "-f", changed]), RESULT_LINES("demo", (kind) => (kind === "cm" || kind === "deploy" ? "configured" : "unchanged")));
        assert.equal(await k.ok(["apply", "-f", changed]), RESULT_LINES("demo", () => "unchanged"));
        // Stored as applied (the deployment is stored, not reconciled by this test).
        const cm = await json(["get", "configmap", "app-cfg", "-n", "demo"]);
        assert.deepEqual(cm.data, { a: "1", b: "20", c: "3" });
        const lastApplied = JSON.parse(cm.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]);
        assert.deepEqual(lastApplied.data, { a: "1", b: "20", c: "3" });
        const deploy = await json(["get", "deployment", "web", "-n", "demo"]);
        assert.equal(deploy.spec.replicas, 3);
        assert.equal(deploy.metadata.generation, 2, "generation bumped once by the spec change");
      });

      it("get: human-readable tables", async () => {
        const cm = table(await k.ok(["get", "configmaps", "-n", "demo"]));
        assert.deepEqual(cm.header, ["NAME", "DATA", "AGE"]);
        const cmRow = rowNamed(cm, "app-cfg");
        assert.equal(cmRow.DATA, "3");
        assert.match(cmRow.AGE!, AGE);

        const svc = table(await k.ok(["get", "services", "-n", "demo"]));
        assert.deepEqual(svc.header, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
        assert.deepEqual(svc.rows.map((r) => r.NAME), ["web"]);

        const deploy = table(await k.ok(["get", "deployments", "-n", "demo"]));
        assert.deepEqual(deploy.header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
        const d = rowNamed(deploy, "web");
        assert.match(d.READY!, /^\d+\/3$/);
        assert.match(d["UP-TO-DATE"]!, /^\d+$/);
        assert.match(d.AVAILABLE!, /^\d+$/);

        const secret = table(await k.ok(["get", "secrets", "-n", "demo"]));
        assert.deepEqual(secret.header, ["NAME", "TYPE", "DATA", "AGE"]);
        assert.deepEqual([rowNamed(secret, "app-secret").TYPE, rowNamed(secret, "app-secret").DATA], ["Opaque", "1"]);

        const ns = table(await k.ok(["get", "namespace", "demo"]));
        assert.deepEqual(ns.header, ["NAME", "STATUS", "AGE"]);
        assert.equal(rowNamed(ns, "demo").STATUS, "Active");

        // Several kinds at once: one table per kind, names prefixed with the kind.
        const multi = tables(await k.ok(["get", "configmaps,services,deployments", "-n", "demo"]));
        assert.deepEqual(
          multi.map((t) => [t.header[0], t.rows.map((r) => r.NAME)]),
          [
            ["NAME", ["configmap/app-cfg", "configmap/kube-root-ca.crt"]],
            ["NAME", ["service/web"]],
            ["NAME", ["deployment.apps/web"]],
          ],
        );
      });

      it("get services shows the defaulted type, an allocated cluster IP and 80/TCP", async () => {
        const row = rowNamed(table(await k.ok(["get", "services", "-n", "demo"])), "web");
        assert.equal(row.TYPE, "ClusterIP");
        // Allocated at random from 10.96.0.0/12; 10.96.0.1 belongs to default/kubernetes.
        assert.ok(inServiceCIDR(row["CLUSTER-IP"]!), `${row["CLUSTER-IP"]} is in 10.96.0.0/12`);
        assert.notEqual(row["CLUSTER-IP"], "10.96.0.1");
        assert.equal(row["EXTERNAL-IP"], "<none>");
        assert.equal(row["PORT(S)"], "80/TCP");
      });

      it("get -o wide", async () => {
        const deploy = table(await k.ok(["get", "deployments", "-n", "demo", "-o", "wide"]));
        assert.deepEqual(deploy.header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
        const d = rowNamed(deploy, "web");
        assert.deepEqual([d.CONTAINERS, d.IMAGES, d.SELECTOR], ["web", "nginx:1.25", "app=web"]);
        const svc = table(await k.ok(["get", "services", "-n", "demo", "-o", "wide"]));
        assert.deepEqual(svc.header, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
        assert.equal(rowNamed(svc, "web").SELECTOR, "app=web");
        const cm = table(await k.ok(["get", "configmaps", "-n", "demo", "-o", "wide"]));
        assert.deepEqual(cm.header, ["NAME", "DATA", "AGE"]);
      });

      it("get -o yaml / -o json", async () => {
        const y = parseYaml(await k.ok(["get", "configmap", "app-cfg", "-n", "demo", "-o", "yaml"])) as Obj;
        assert.equal(y.apiVersion, "v1");
        assert.equal(y.kind, "ConfigMap");
        assert.equal(y.metadata.name, "app-cfg");
        assert.equal(y.metadata.namespace, "demo");
        assert.deepEqual(y.metadata.labels, { app: "web" });
        assert.match(y.metadata.resourceVersion, /^\d+$/);
        assert.match(y.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.match(y.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(y.metadata.managedFields, undefined, "kubectl hides managedFields");
        assert.deepEqual(y.data, { a: "1", b: "20", c: "3" });

        const list = parseYaml(await k.ok(["get", "configmaps", "-n", "demo", "-o", "yaml"])) as Obj;
        assert.equal(list.apiVersion, "v1");
        assert.equal(list.kind, "List");
        assert.deepEqual(
          list.items.map((i: Obj) => `${i.apiVersion}/${i.kind}/${i.metadata.name}`),
          ["v1/ConfigMap/app-cfg", "v1/ConfigMap/kube-root-ca.crt"],
        );
        assert.equal(list.items[0].metadata.resourceVersion, y.metadata.resourceVersion);

        const d = await json(["get", "deployment", "web", "-n", "demo"]);
        assert.equal(d.apiVersion, "apps/v1");
        assert.equal(d.kind, "Deployment");
        assert.deepEqual(d.spec.selector, { matchLabels: { app: "web" } });
        assert.equal(d.spec.template.spec.containers[0].image, "nginx:1.25");
        const all = await json(["get", "deployments,services", "-n", "demo"]);
        assert.equal(all.kind, "List");
        assert.deepEqual(
          all.items.map((i: Obj) => `${i.kind}/${i.metadata.name}`),
          ["Deployment/web", "Service/web"],
        );
      });

      it("get -o name and -o jsonpath", async () => {
        assert.equal(await k.ok(["get", "configmaps,secrets,services,deployments", "-n", "demo", "-o", "name"]), "configmap/app-cfg\nconfigmap/kube-root-ca.crt\nsecret/app-secret\nservice/web\ndeployment.apps/web\n");
        assert.equal(await k.ok(["get", "configmap", "app-cfg", "-n", "demo", "-o", "jsonpath={.data.b}"]), "20");
        assert.equal(await k.ok(["get", "deployments", "-n", "demo", "-o", 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}{"\\n"}{end}']), "web=3\n");
        assert.equal(await k.ok(["get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}"]), "created default demo kube-node-lease kube-public kube-system");
      });

      it("get -A shows the NAMESPACE column", async () => {
        const cm = table(await k.ok(["get", "configmaps", "-A", "-l", "app=web"]));
        assert.deepEqual(cm.header, ["NAMESPACE", "NAME", "DATA", "AGE"]);
        assert.deepEqual(
          cm.rows.map((r) => `${r.NAMESPACE}/${r.NAME}/${r.DATA}`),
          ["created/app-cfg/2", "demo/app-cfg/3"],
        );
        const deploy = table(await k.ok(["get", "deployments", "--all-namespaces"]));
        assert.deepEqual(deploy.header, ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
        assert.deepEqual(
          deploy.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`),
          ["created/web", "demo/web"],
        );
        const svc = table(await k.ok(["get", "services", "-A"]));
        assert.deepEqual(svc.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`).sort(), ["created/web", "default/kubernetes", "demo/web"]);
      });

      it("get -l, --field-selector, --show-labels", async () => {
        assert.equal(await k.ok(["get", "configmaps,services,deployments,secrets", "-n", "demo", "-l", "app=web", "-o", "name"]), "configmap/app-cfg\nservice/web\ndeployment.apps/web\nsecret/app-secret\n");
        assert.equal(await k.ok(["get", "configmaps", "-n", "demo", "-l", "app in (web,db),app!=x", "-o", "name"]), "configmap/app-cfg\n");
        const none = await k.run(["get", "configmaps", "-n", "demo", "-l", "app=nothing"]);
        assert.deepEqual(none, { code: 0, stdout: "", stderr: "No resources found in demo namespace.\n" });

        assert.equal(await k.ok(["get", "configmaps", "-A", "--field-selector", "metadata.name=app-cfg,metadata.namespace=demo", "-o", "name"]), "configmap/app-cfg\n");
        assert.equal(await k.ok(["get", "services", "-A", "--field-selector", "metadata.namespace!=default", "-o", "name"]), "service/web\nservice/web\n");
        const cm = table(await k.ok(["get", "configmaps", "-n", "demo", "--field-selector", "metadata.name=app-cfg"]));
        assert.deepEqual(cm.rows.map((r) => r.NAME), ["app-cfg"]);

        const labeled = table(await k.ok(["get", "configmaps", "-n", "demo", "--show-labels"]));
        assert.deepEqual(labeled.header, ["NAME", "DATA", "AGE", "LABELS"]);
        assert.equal(rowNamed(labeled, "app-cfg").LABELS, "app=web");
        const labeledAll = table(await k.ok(["get", "deployments", "-A", "--show-labels"]));
        assert.deepEqual(labeledAll.header, ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "LABELS"]);
        assert.deepEqual(labeledAll.rows.map((r) => `${r.NAMESPACE} ${r.LABELS}`), ["created app=web", "demo app=web"]);
      });

      it("label and annotate", async () => {
        assert.equal(await k.ok(["label", "configmap", "app-cfg", "-n", "demo", "tier=db"]), "configmap/app-cfg labeled\n");
        const withL = table(await k.ok(["get", "configmap", "app-cfg", "-n", "demo", "-L", "tier"]));
        assert.deepEqual(withL.header, ["NAME", "DATA", "AGE", "TIER"]);
        assert.equal(withL.rows[0]!.TIER, "db");
        assert.equal(await k.ok(["label", "configmap", "app-cfg", "-n", "demo", "tier=cache", "--overwrite"]), "configmap/app-cfg labeled\n");
        assert.equal(await k.ok(["get", "configmap", "app-cfg", "-n", "demo", "-o", "jsonpath={.metadata.labels.tier}"]), "cache");
        assert.equal(await k.ok(["label", "configmap", "app-cfg", "-n", "demo", "tier-"]), "configmap/app-cfg unlabeled\n");
        // kubectl 1.27 prints "annotate" (its own wording, fixed in 1.28), the same against a real cluster.
        const annotated = version === "1.27" ? "annotate" : "annotated";
        assert.equal(await k.ok(["annotate", "configmap", "app-cfg", "-n", "demo", "note=hello world"]), `configmap/app-cfg ${annotated}\n`);
        const cm = await json(["get", "configmap", "app-cfg", "-n", "demo"]);
        assert.deepEqual(cm.metadata.labels, { app: "web" });
        assert.equal(cm.metadata.annotations.note, "hello world");
        assert.ok(cm.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]);
        assert.equal(await k.ok(["annotate", "deployment", "web", "-n", "demo", "owner=team-a"]), `deployment.apps/web ${annotated}\n`);
      });

      it("patch --type merge, --type json and strategic (default)", async () => {
        assert.equal(await k.ok(["patch", "configmap", "app-cfg", "-n", "demo", "--type", "merge", "-p", '{"data":{"m":"1","a":null}}']), "configmap/app-cfg patched\n");
        assert.deepEqual((await json(["get", "configmap", "app-cfg", "-n", "demo"])).data, { b: "20", c: "3", m: "1" });
        assert.equal(
          await k.ok(["patch", "configmap", "app-cfg", "-n", "demo", "--type", "json", "-p", '[{"op":"add","path":"/data/j","value":"2"},{"op":"remove","path":"/data/m"},{"op":"replace","path":"/data/c","value":"33"}]']),
          "configmap/app-cfg patched\n",
        );
        assert.deepEqual((await json(["get", "configmap", "app-cfg", "-n", "demo"])).data, { b: "20", c: "33", j: "2" });

        const before = await json(["get", "deployment", "web", "-n", "demo"]);
        const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26","env":[{"name":"MODE","value":"x"}]}]}}}}';
        assert.equal(await k.ok(["patch", "deployment", "web", "-n", "demo", "-p", smp]), "deployment.apps/web patched\n");
        const after = await json(["get", "deployment", "web", "-n", "demo"]);
        const c = after.spec.template.spec.containers;
        assert.equal(c.length, 1, "containers merged by name");
        assert.equal(c[0].image, "nginx:1.26");
        assert.deepEqual(c[0].ports, before.spec.template.spec.containers[0].ports, "ports kept");
        assert.deepEqual(c[0].env, [{ name: "MODE", value: "x" }]);
        assert.equal(after.metadata.generation, before.metadata.generation + 1);
        assert.equal(await k.ok(["patch", "deployment", "web", "-n", "demo", "-p", smp]), "deployment.apps/web patched (no change)\n");
        // Strategic merge on a configmap map field, plus a deletion with null.
        assert.equal(await k.ok(["patch", "configmap", "app-cfg", "-n", "demo", "-p", '{"data":{"j":null,"s":"1"}}']), "configmap/app-cfg patched\n");
        assert.deepEqual((await json(["get", "configmap", "app-cfg", "-n", "demo"])).data, { b: "20", c: "33", s: "1" });
      });

      it("replace -f", async () => {
        const live = await json(["get", "configmap", "app-cfg", "-n", "demo"]);
        live.data = { replaced: "yes" };
        const p = file("replace.json", JSON.stringify(live));
        assert.equal(await k.ok(["replace", "-f", p]), "configmap/app-cfg replaced\n");
        const now = await json(["get", "configmap", "app-cfg", "-n", "demo"]);
        assert.deepEqual(now.data, { replaced: "yes" });
        assert.notEqual(now.metadata.resourceVersion, live.metadata.resourceVersion);
        assert.equal(now.metadata.uid, live.metadata.uid);
        // Without a resourceVersion in the file kubectl replaces unconditionally.
        delete now.metadata.resourceVersion;
        now.data = { replaced: "again" };
        assert.equal(await k.ok(["replace", "-f", file("replace-2.json", JSON.stringify(now))]), "configmap/app-cfg replaced\n");
        assert.equal(await k.ok(["get", "configmap", "app-cfg", "-n", "demo", "-o", "jsonpath={.data.replaced}"]), "again");
      });

      it("set image and rollout restart|pause|resume (stored, not reconciled)", async () => {
        assert.equal(await k.ok(["set", "image", "deployment/web", "web=nginx:1.27", "-n", "demo"]), "deployment.apps/web image updated\n");
        assert.equal(await k.ok(["get", "deployment", "web", "-n", "demo", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]), "nginx:1.27");
        assert.equal(await k.ok(["rollout", "restart", "deployment/web", "-n", "demo"]), "deployment.apps/web restarted\n");
        const restarted = await json(["get", "deployment", "web", "-n", "demo"]);
        assert.match(restarted.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
        assert.equal(await k.ok(["rollout", "pause", "deployment/web", "-n", "demo"]), "deployment.apps/web paused\n");
        assert.equal((await json(["get", "deployment", "web", "-n", "demo"])).spec.paused, true);
        assert.equal(await k.ok(["rollout", "resume", "deployment/web", "-n", "demo"]), "deployment.apps/web resumed\n");
        const resumed = await json(["get", "deployment", "web", "-n", "demo"]);
        assert.equal(resumed.spec.paused, undefined);
        assert.equal(resumed.spec.template.spec.containers[0].image, "nginx:1.27");
        assert.equal(resumed.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"], restarted.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]);
      });

      it("get --chunk-size=2 over 9 objects returns all of them", async () => {
        const docs = Array.from({ length: 9 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chunk-${i + 1}\n  namespace: created\n  labels:\n    batch: chunk\ndata:\n  i: "${i + 1}"\n`);
        const out = await k.ok(["apply", "-f", file("chunk.yaml", docs.join("---\n"))]);
        assert.equal(lines(out).length, 9);
        const names = Array.from({ length: 9 }, (_, i) => `chunk-${i + 1}`);
        const t = table(await k.ok(["get", "configmaps", "-n", "created", "-l", "batch=chunk", "--chunk-size=2"]));
        assert.deepEqual(t.header, ["NAME", "DATA", "AGE"]);
        assert.deepEqual(t.rows.map((r) => r.NAME), names);
        assert.equal(await k.ok(["get", "configmaps", "-n", "created", "-l", "batch=chunk", "--chunk-size=2", "-o", "name"]), names.map((n) => `configmap/${n}\n`).join(""));
        const all = await json(["get", "configmaps", "-A", "--chunk-size=2"]);
        assert.ok(names.every((n) => all.items.some((i: Obj) => i.metadata.name === n)), "all pages merged with -A");
        assert.equal(await k.ok(["get", "configmaps", "-n", "created", "-l", "batch=chunk", "--chunk-size=4", "-o", "jsonpath={.items[*].data.i}"]), "1 2 3 4 5 6 7 8 9");
      });

      it("get -w prints a later change", async () => {
        const w = watch(["get", "configmaps", "-n", "demo", "-w"]);
        await w.until("the initial table", (out) => /^NAME\s+DATA\s+AGE\napp-cfg\s+1\s+\S+\nkube-root-ca\.crt\s+1\s+\S+\n$/.test(out));
        await k.ok(["patch", "configmap", "app-cfg", "-n", "demo", "--type", "merge", "-p", '{"data":{"w1":"x"}}']);
        await w.until("the changed row", (out) => /\napp-cfg\s+2\s+\S+\n$/.test(out));
        await k.ok(["create", "-f", file("watched.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: demo\n")]);
        await w.until("the added row", (out) => /\nwatched\s+0\s+\S+\n$/.test(out));
        await w.kill();
        assert.equal(lines(w.stdout()).length, 5, w.stdout());
        assert.equal(w.stderr(), "");
      });

      it("get <name> -w suppresses the initial event and prints the next change", async () => {
        const w = watch(["get", "configmap", "app-cfg", "-n", "demo", "-w", "-v=6"]);
        // stdout and stderr are separate pipes: wait for both the printed object and the watch.
        await w.until("the initial row and the watch request", (out, err) => /\napp-cfg\s/.test(out) && WATCH_ESTABLISHED.test(err));
        assert.match(w.stdout(), /^NAME\s+DATA\s+AGE\napp-cfg\s+2\s+\S+\n$/);
        await k.ok(["patch", "configmap", "app-cfg", "-n", "demo", "--type", "merge", "-p", '{"data":{"w2":"y"}}']);
        await w.until("the changed row", (out) => /\napp-cfg\s+3\s+\S+\n$/.test(out));
        await w.kill();
        assert.equal(lines(w.stdout()).length, 3, `exactly one row per change, the initial event suppressed:\n${w.stdout()}`);
        assert.deepEqual(lines(w.stderr()).filter((l) => !/^I\d{4} /.test(l)), [], "only info logs on stderr");
      });

      it("delete waits and returns; delete --all", async () => {
        assert.equal(await k.ok(["delete", "configmap", "watched", "-n", "demo"]), 'configmap "watched" deleted\n');
        const gone = await k.run(["get", "configmap", "watched", "-n", "demo"]);
        assert.deepEqual(gone, { code: 1, stdout: "", stderr: 'Error from server (NotFound): configmaps "watched" not found\n' });
        assert.equal(await k.ok(["delete", "deployment", "web", "-n", "created"]), 'deployment.apps "web" deleted\n');
        assert.equal(await k.ok(["delete", "-f", file("del.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: created\n")]), 'service "web" deleted\n');

        const names = Array.from({ length: 9 }, (_, i) => `chunk-${i + 1}`);
        const out = await k.ok(["delete", "configmaps", "--all", "-n", "created"]);
        // --all takes kube-root-ca.crt too; the root-CA publisher puts it back, as on a real cluster.
        assert.deepEqual(lines(out).sort(), ["app-cfg", "kube-root-ca.crt", ...names].map((n) => `configmap "${n}" deleted`).sort());
        await eventually(async () => (await k.ok(["get", "configmaps", "-n", "created", "-o", "name"])) === "configmap/kube-root-ca.crt\n", 10_000, "kube-root-ca.crt to be republished in created");
        assert.deepEqual(await k.run(["get", "configmaps", "-n", "created", "-l", "app=web"]), { code: 0, stdout: "", stderr: "No resources found in created namespace.\n" });
        assert.equal(await k.ok(["delete", "configmap", "nothing-here", "-n", "created", "--ignore-not-found"]), "");
      });

      it("wait --for=delete", async () => {
        await k.ok(["create", "-f", file("doomed.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: doomed\n  namespace: demo\n")]);
        const w = watch(["wait", "--for=delete", "configmap/doomed", "-n", "demo", "--timeout=60s", "-v=6"]);
        await w.until("the wait's watch", (_out, err) => WATCH_ESTABLISHED.test(err));
        assert.equal(await k.ok(["delete", "configmap", "doomed", "-n", "demo", "--wait=false"]), 'configmap "doomed" deleted\n');
        assert.equal(await w.exit, 0, w.stderr());
        assert.equal(w.stdout(), "configmap/doomed condition met\n");
        assert.deepEqual(lines(w.stderr()).filter((l) => !/^I\d{4} /.test(l)), []);
        // Already gone: succeeds at once, silently.
        assert.equal(await k.ok(["wait", "--for=delete", "configmap/doomed", "-n", "demo", "--timeout=10s"]), "");
      });

      // kubectl 1.32+ (1.33, default) send these bodies as protobuf; 1.27/1.30 as JSON.
      it("create <generator> (configmap, secret, deployment, namespace)", async () => {
        assert.equal(await k.ok(["create", "namespace", "generated"]), "namespace/generated created\n");
        assert.equal(await k.ok(["create", "configmap", "gen-cm", "-n", "generated", "--from-literal=a=1", "--from-literal=b=2"]), "configmap/gen-cm created\n");
        assert.equal(await k.ok(["create", "secret", "generic", "gen-secret", "-n", "generated", "--from-literal=p=q"]), "secret/gen-secret created\n");
        assert.equal(await k.ok(["create", "deployment", "gen-deploy", "-n", "generated", "--image=nginx", "--replicas=2"]), "deployment.apps/gen-deploy created\n");
        assert.deepEqual((await json(["get", "configmap", "gen-cm", "-n", "generated"])).data, { a: "1", b: "2" });
        assert.equal((await json(["get", "secret", "gen-secret", "-n", "generated"])).data.p, "cQ==");
        assert.equal((await json(["get", "deployment", "gen-deploy", "-n", "generated"])).spec.replicas, 2);
      });
    });
  }

  // Cluster behaviour any kubectl shows on a real 1.33 cluster (checked once, with kubectl 1.33).
  describe("kubectl 1.33: what a real cluster shows beyond stored objects", { concurrency: 1 }, () => {
    let server: ServerProcess;
    let dir: string;
    let k: Kubectl;
    before(async () => {
      dir = tempDir("kubectl-cluster");
      server = await startServer({ dataDir: subdir(dir, "data") });
      k = kubectl("1.33", server.kubeconfig, path.join(dir, "cache"));
      await k.ok(["apply", "-f", writeTemp(dir, "ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fresh\n")]);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      if (dir) removeDir(dir);
    });

    it("every namespace has the kube-root-ca.crt configmap and the default serviceaccount", async () => {
      const cms = table(await k.ok(["get", "configmaps", "-A"]));
      const sas = table(await k.ok(["get", "serviceaccounts", "-A"]));
      for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease", "fresh"]) {
        assert.ok(cms.rows.some((r) => r.NAMESPACE === ns && r.NAME === "kube-root-ca.crt" && r.DATA === "1"), `kube-root-ca.crt in ${ns}`);
        assert.ok(sas.rows.some((r) => r.NAMESPACE === ns && r.NAME === "default"), `serviceaccount default in ${ns}`);
      }
    });

    it("delete namespace finishes (the namespace and its contents go away)", async () => {
      await k.ok(["apply", "-f", writeTemp(dir, "content.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n  namespace: fresh\n")]);
      const r = await k.run(["delete", "namespace", "fresh", "--timeout=10s"]);
      assert.deepEqual(r, { code: 0, stdout: 'namespace "fresh" deleted\n', stderr: "" });
      assert.deepEqual(await k.run(["get", "namespace", "fresh"]), { code: 1, stdout: "", stderr: 'Error from server (NotFound): namespaces "fresh" not found\n' });
    });
  });
});

function writeTemp(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function subdir(parent: string, name: string): string {
  const p = path.join(parent, name);
  mkdirSync(p);
  return p;
}
