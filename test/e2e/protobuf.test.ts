// kubectl 1.32+ writes through its typed clients with protobuf bodies (Content-Type:
// application/vnd.kubernetes.protobuf, no JSON fallback): every `kubectl create <generator>`,
// `create token`, `auth can-i`, `auth whoami`, `certificate approve|deny`. Against the built server,
// kubectl 1.32 and 1.33 must print what a real cluster prints, with nothing on stderr, and the
// objects must be exactly those kubectl 1.31 (which sends JSON) creates with the same command.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Kubectl, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const JSON_VERSION = "1.31";
const PROTOBUF_VERSIONS = ["1.32", "1.33", "1.35"] as const;

// Fail loudly (not skip) when a binary is missing.
for (const v of [JSON_VERSION, ...PROTOBUF_VERSIONS]) kubectlPath(v);

/** Per-version tag used in names and namespaces: v31, v32, v33. */
const tagOf = (version: string) => `v${version.split(".")[1]}`;

/** A public certificate request (CN=alice, P-256) for the CSR tests. */
const CSR_PEM = `-----BEGIN CERTIFICATE REQUEST-----
MIHKMHICAQAwEDEOMAwGA1UEAwwFYWxpY2UwWTATBgcqhkjOPQIBBggqhkjOPQMB
BwNCAATvQmdv0jxZRbkrKwCT+Ozf1HMAAkMq9Xvh1TaHyJ4v205fCAjjnz5zTZgu
YQUyj6T31u3GZjvCdNkay8cxYY7MoAAwCgYIKoZIzj0EAwIDSAAwRQIgMo2ZBesA
J4y1WgslFnkb0H3oz0DUw8hEdXZ8fzoT4GoCIQCwXcbgrGjON4FRn+V+s6MpRHax
oVK69cn4LeerQfHGhA==
-----END CERTIFICATE REQUEST-----
`;

interface Generator {
  /** `kubectl create` arguments after "create"; {ns} and {tag} are replaced. */
  args: string[];
  /** Resource for `kubectl get`, and the created object's name. */
  resource: string;
  name: string;
  namespaced: boolean;
  /** What kubectl prints on success ({name} replaced). */
  printed: string;
}

const RBAC = "rbac.authorization.k8s.io";
const GENERATORS: Generator[] = [
  { args: ["configmap", "cfg", "--from-literal=a=b", "--from-literal=c=d"], resource: "configmap", name: "cfg", namespaced: true, printed: "configmap/{name} created" },
  { args: ["secret", "generic", "gen", "--from-literal=user=admin", "--type=Opaque"], resource: "secret", name: "gen", namespaced: true, printed: "secret/{name} created" },
  { args: ["secret", "tls", "tls", "--cert={cert}", "--key={key}"], resource: "secret", name: "tls", namespaced: true, printed: "secret/{name} created" },
  {
    args: ["secret", "docker-registry", "reg", "--docker-username=u", "--docker-password=p", "--docker-server=registry.example.com", "--docker-email=u@example.com"],
    resource: "secret",
    name: "reg",
    namespaced: true,
    printed: "secret/{name} created",
  },
  { args: ["deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80"], resource: "deployment", name: "web", namespaced: true, printed: "deployment.apps/{name} created" },
  { args: ["job", "once", "--image=busybox", "--", "echo", "hi"], resource: "job", name: "once", namespaced: true, printed: "job.batch/{name} created" },
  { args: ["cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "--restart=OnFailure", "--", "date"], resource: "cronjob", name: "tick", namespaced: true, printed: "cronjob.batch/{name} created" },
  { args: ["namespace", "made-{tag}"], resource: "namespace", name: "made-{tag}", namespaced: false, printed: "namespace/{name} created" },
  { args: ["serviceaccount", "robot"], resource: "serviceaccount", name: "robot", namespaced: true, printed: "serviceaccount/{name} created" },
  { args: ["service", "clusterip", "svc-ip", "--tcp=80:8080", "--tcp=443:8443"], resource: "service", name: "svc-ip", namespaced: true, printed: "service/{name} created" },
  { args: ["service", "clusterip", "svc-headless", "--clusterip=None"], resource: "service", name: "svc-headless", namespaced: true, printed: "service/{name} created" },
  { args: ["service", "nodeport", "svc-np", "--tcp=80:8080"], resource: "service", name: "svc-np", namespaced: true, printed: "service/{name} created" },
  { args: ["service", "loadbalancer", "svc-lb", "--tcp=443:8443"], resource: "service", name: "svc-lb", namespaced: true, printed: "service/{name} created" },
  { args: ["service", "externalname", "svc-ext", "--external-name=example.com"], resource: "service", name: "svc-ext", namespaced: true, printed: "service/{name} created" },
  { args: ["role", "reader", "--verb=get,list", "--resource=pods,deployments.apps", "--resource-name=a"], resource: "role", name: "reader", namespaced: true, printed: `role.${RBAC}/{name} created` },
  { args: ["clusterrole", "reader-{tag}", "--verb=get", "--resource=nodes", "--non-resource-url=/healthz"], resource: "clusterrole", name: "reader-{tag}", namespaced: false, printed: `clusterrole.${RBAC}/{name} created` },
  { args: ["clusterrole", "agg-{tag}", "--aggregation-rule=rbac.example.com/aggregate=true"], resource: "clusterrole", name: "agg-{tag}", namespaced: false, printed: `clusterrole.${RBAC}/{name} created` },
  {
    args: ["rolebinding", "reader-binding", "--role=reader", "--user=alice", "--group=devs", "--serviceaccount={ns}:robot"],
    resource: "rolebinding",
    name: "reader-binding",
    namespaced: true,
    printed: `rolebinding.${RBAC}/{name} created`,
  },
  { args: ["clusterrolebinding", "view-{tag}", "--clusterrole=view", "--user=bob"], resource: "clusterrolebinding", name: "view-{tag}", namespaced: false, printed: `clusterrolebinding.${RBAC}/{name} created` },
  { args: ["quota", "limits", "--hard=cpu=1,memory=1Gi,pods=10", "--scopes=NotBestEffort"], resource: "resourcequota", name: "limits", namespaced: true, printed: "resourcequota/{name} created" },
  {
    args: ["priorityclass", "high-{tag}", "--value=1000", "--description=important", "--preemption-policy=Never"],
    resource: "priorityclass",
    name: "high-{tag}",
    namespaced: false,
    printed: "priorityclass.scheduling.k8s.io/{name} created",
  },
  { args: ["poddisruptionbudget", "pdb-min", "--selector=app=web", "--min-available=50%"], resource: "poddisruptionbudget", name: "pdb-min", namespaced: true, printed: "poddisruptionbudget.policy/{name} created" },
  { args: ["poddisruptionbudget", "pdb-max", "--selector=app=web", "--max-unavailable=1"], resource: "poddisruptionbudget", name: "pdb-max", namespaced: true, printed: "poddisruptionbudget.policy/{name} created" },
  {
    args: ["ingress", "web", "--class=default", "--rule=foo.com/bar*=svc1:8080,tls=my-cert", "--rule=bar.com/=svc2:http", "--annotation=a=b", "--default-backend=defsvc:80"],
    resource: "ingress",
    name: "web",
    namespaced: true,
    printed: "ingress.networking.k8s.io/{name} created",
  },
];

/** The object as kubectl shows it, minus what two creations of the same object legitimately differ in. */
function comparable(json: string, tag: string): Obj {
  const obj = JSON.parse(json.replaceAll(tag, "TAG")) as Obj;
  const meta = obj.metadata as Obj;
  for (const k of ["uid", "resourceVersion", "creationTimestamp"]) delete meta[k];
  delete obj.status; // filled in by controllers, at their own pace
  for (const labels of [meta.labels, obj.spec?.selector?.matchLabels, obj.spec?.template?.metadata?.labels]) {
    if (!labels) continue;
    delete labels["controller-uid"];
    delete labels["batch.kubernetes.io/controller-uid"];
  }
  for (const k of Object.keys(meta.annotations ?? {})) if (k.startsWith("deployment.kubernetes.io/")) delete meta.annotations[k];
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  if (obj.kind === "Service") {
    // allocated addresses and ports
    for (const k of ["clusterIP", "clusterIPs"]) if (obj.spec[k] !== "None" && !(Array.isArray(obj.spec[k]) && obj.spec[k][0] === "None")) delete obj.spec[k];
    for (const p of obj.spec.ports ?? []) delete p.nodePort;
  }
  return obj;
}

describe("kubectl typed-client writes: protobuf bodies (1.32+) against JSON ones (1.31)", () => {
  let server: ServerProcess;
  let dir: string;
  const k: Record<string, Kubectl> = {};
  const fill = (s: string, version: string) =>
    s
      .replaceAll("{tag}", tagOf(version))
      .replaceAll("{ns}", `pb-${tagOf(version)}`)
      .replaceAll("{cert}", path.join(server.dataDir, "pki", "admin.crt"))
      .replaceAll("{key}", path.join(server.dataDir, "pki", "admin.key"));
  const nsOf = (version: string) => `pb-${tagOf(version)}`;
  /** The JSON-created (1.31) objects, by generator index. */
  const reference: Obj[] = [];

  const getJson = (g: Generator, version: string) =>
    k["1.33"]!.ok(["get", g.resource, fill(g.name, version), "-o", "json", ...(g.namespaced ? ["-n", nsOf(version)] : [])]);
  // flags before the arguments: job and cronjob take a command after "--"
  const create = (g: Generator, version: string) => k[version]!.run(["create", ...(g.namespaced ? ["-n", nsOf(version)] : []), ...g.args.map((a) => fill(a, version))]);

  before(async () => {
    server = await startServer();
    dir = tempDir("protobuf");
    for (const v of [JSON_VERSION, ...PROTOBUF_VERSIONS]) k[v] = kubectl(v, server.kubeconfig, path.join(dir, `cache-${v}`));
    const namespaces = [JSON_VERSION, ...PROTOBUF_VERSIONS].map((v) => `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"${nsOf(v)}"}}`);
    writeFileSync(path.join(dir, "ns.json"), `{"apiVersion":"v1","kind":"List","items":[${namespaces.join(",")}]}`);
    await k["1.33"]!.ok(["apply", "-f", path.join(dir, "ns.json")]);
    for (const g of GENERATORS) {
      const r = await create(g, JSON_VERSION);
      assert.equal(r.stderr, "", `${JSON_VERSION} create ${g.args.join(" ")}`);
      assert.equal(r.code, 0);
      reference.push(comparable(await getJson(g, JSON_VERSION), tagOf(JSON_VERSION)));
    }
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
    if (server) removeDir(server.dataDir);
    if (dir) removeDir(dir);
  });

  for (const version of PROTOBUF_VERSIONS) {
    describe(`kubectl ${version}`, () => {
      GENERATORS.forEach((g, i) => {
        it(`create ${g.args.join(" ")}`, async () => {
          const r = await create(g, version);
          assert.equal(r.stderr, "", "nothing on stderr");
          assert.equal(r.code, 0);
          assert.equal(r.stdout, `${fill(g.printed, version).replace("{name}", fill(g.name, version))}\n`);
          assert.deepEqual(comparable(await getJson(g, version), tagOf(version)), reference[i], "the object is what the JSON body of 1.31 creates");
        });
      });

      it("create token <sa> prints a token the server accepts", async () => {
        const ns = nsOf(version);
        const token = await k[version]!.ok(["create", "token", "robot", "-n", ns, "--duration=10m", "--audience=https://kubernetes.default.svc.cluster.local"]);
        assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, "a JWT without a trailing newline");
        // a kubeconfig with only the token (a client certificate would authenticate first)
        const admin = readFileSync(server.kubeconfig, "utf8");
        const ca = admin.match(/certificate-authority-data: (\S+)/)![1];
        const tokenConfig = path.join(dir, `token-${version}.kubeconfig`);
        writeFileSync(
          tokenConfig,
          `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${ca}\n` +
            `users:\n- name: u\n  user:\n    token: ${token}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
        );
        const whoami = await k[version]!.run(["auth", "whoami", "-o", "json"], { env: { KUBECONFIG: tokenConfig } });
        assert.equal(whoami.stderr, "");
        assert.equal(JSON.parse(whoami.stdout).status.userInfo.username, `system:serviceaccount:${ns}:robot`);
      });

      it("create token default", async () => {
        const token = await k[version]!.ok(["create", "token", "default", "-n", nsOf(version)]);
        assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      });

      it("auth can-i prints what 1.31 prints", async () => {
        for (const args of [
          ["auth", "can-i", "get", "pods"],
          ["auth", "can-i", "create", "deployments.apps", "--subresource=scale", "-n", "kube-system"],
          ["auth", "can-i", "get", "/healthz"],
          ["auth", "can-i", "--list", "-n", "kube-system"],
        ]) {
          const out = await k[version]!.ok(args);
          assert.equal(out, await k[JSON_VERSION]!.ok(args), args.join(" "));
        }
        assert.equal(await k[version]!.ok(["auth", "can-i", "get", "pods"]), "yes\n");
      });

      it("auth whoami shows kubernetes-admin in system:masters", async () => {
        const out = await k[version]!.ok(["auth", "whoami"]);
        assert.match(out, /^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]\n$/);
        assert.equal(out, await k[JSON_VERSION]!.ok(["auth", "whoami"]));
      });

      for (const verb of ["approve", "deny"] as const) {
        it(`certificate ${verb}`, async () => {
          const name = `csr-${verb}-${tagOf(version)}`;
          const csr = {
            apiVersion: "certificates.k8s.io/v1",
            kind: "CertificateSigningRequest",
            metadata: { name },
            spec: { request: Buffer.from(CSR_PEM).toString("base64"), signerName: "kubernetes.io/kube-apiserver-client", usages: ["client auth"] },
          };
          const file = path.join(dir, `${name}.json`);
          writeFileSync(file, JSON.stringify(csr));
          await k["1.33"]!.ok(["create", "-f", file]);
          const out = await k[version]!.ok(["certificate", verb, name]);
          assert.equal(out, `certificatesigningrequest.certificates.k8s.io/${name} ${verb === "approve" ? "approved" : "denied"}\n`);
          const got = JSON.parse(await k["1.33"]!.ok(["get", "csr", name, "-o", "json"])) as Obj;
          const cond = got.status.conditions as Obj[];
          assert.equal(cond.length, 1);
          assert.equal(cond[0]!.type, verb === "approve" ? "Approved" : "Denied");
          assert.equal(cond[0]!.status, "True");
          assert.equal(cond[0]!.reason, verb === "approve" ? "KubectlApprove" : "KubectlDeny");
          assert.equal(cond[0]!.message, `This CSR was ${verb === "approve" ? "approved by kubectl certificate approve" : "denied by kubectl certificate deny"}.`);
        });
      }

      it(
        "drain deletes pods with a protobuf DeleteOptions body",
        async () => {
          const node = `node-${tagOf(version)}`;
          const manifest = path.join(dir, `${node}.json`);
          const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: `on-${node}`, namespace: nsOf(version) }, spec: { nodeName: node, containers: [{ name: "c", image: "nginx" }] } };
          writeFileSync(manifest, JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Node", metadata: { name: node } }, pod] }));
          await k["1.33"]!.ok(["create", "-f", manifest]);
          // drain through DELETE (--disable-eviction), whose DeleteOptions body 1.32+ sends as protobuf
          const r = await k[version]!.run(["drain", node, "--force", "--grace-period=0", "--disable-eviction"]);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stdout, `node/${node} cordoned\npod/on-${node} deleted\nnode/${node} drained\n`);
          assert.equal(r.stderr, `Warning: deleting Pods that declare no controller: ${nsOf(version)}/on-${node}\n`);
        },
      );

      it("create cm Bad_Name fails as against a real cluster", async () => {
        const r = await k[version]!.run(["create", "cm", "Bad_Name"]);
        assert.equal(r.code, 1);
        assert.equal(r.stdout, "");
        // kubectl's configmap generator wraps the API error: "failed to create configmap: %v"
        assert.equal(
          r.stderr,
          `error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
        );
        assert.equal(r.stderr, (await k[JSON_VERSION]!.run(["create", "cm", "Bad_Name"])).stderr);
        const ns = await k[version]!.run(["create", "namespace", "Bad_Name"]);
        assert.equal(ns.code, 1);
        assert.match(ns.stderr, /^The Namespace "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of/);
        assert.equal(ns.stderr, (await k[JSON_VERSION]!.run(["create", "namespace", "Bad_Name"])).stderr);
      });
    });
  }
});
