// Services end to end with real kubectl (1.33 and 1.27) against the built server and its control
// plane: Services of every type created with `kubectl create service` / `expose` / apply, and what
// `get svc`, `get endpoints` and `get endpointslices` print for them (cluster IPs, NodePorts,
// LoadBalancer external IPs, headless and ExternalName), allocation errors, and Ingress status.
// Endpoints and EndpointSlices list the addresses of the pods the scheduler and kubelets run.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { eventually, type Kubectl, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.33", "1.27"] as const;
for (const v of VERSIONS) kubectlPath(v);

const ENDPOINTS_WARNING = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";
const CLUSTER_IP = /^10\.(9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}$/;

/** Rows of kubectl's aligned table output, keyed by header. */
function rows(out: string): Record<string, string>[] {
  const lines = out.split("\n").filter(Boolean);
  const header = lines[0]!;
  const cols = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index! }));
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    cols.forEach((c, i) => (row[c.name] = line.slice(c.start, i + 1 < cols.length ? cols[i + 1]!.start : undefined).trim()));
    return row;
  });
}
const row = (out: string, name: string) => {
  const r = rows(out).find((x) => x.NAME === name);
  assert.ok(r, `no ${name} in\n${out}`);
  return r;
};

for (const version of VERSIONS) {
  describe(`Services with kubectl ${version}`, () => {
    let server: ServerProcess | undefined;
    let dir: string;
    let k: Kubectl;
    const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
    /** `get endpoints` succeeds with upstream's deprecation warning on stderr. */
    const getEndpoints = async (args: string[]): Promise<string> => {
      const r = await k.run(["get", "endpoints", ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, ENDPOINTS_WARNING);
      return r.stdout;
    };

    before(async () => {
      dir = tempDir(`networking-${version}`);
      server = await startServer({ dataDir: path.join(dir, "data") });
      k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      if (dir) removeDir(dir);
    });

    it("the kubernetes Service keeps 10.96.0.1", async () => {
      const r = row(await k.ok(["get", "svc", "kubernetes"]), "kubernetes");
      assert.deepEqual([r.TYPE, r["CLUSTER-IP"], r["EXTERNAL-IP"], r["PORT(S)"]], ["ClusterIP", "10.96.0.1", "<none>", "443/TCP"]);
    });

    it("expose deployment: a ClusterIP Service, its Endpoints and placeholder-free slices", async () => {
      assert.equal(await k.ok(["create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80"]), "deployment.apps/web created\n");
      assert.equal(await k.ok(["expose", "deployment", "web", "--port=80"]), "service/web exposed\n");
      const svc = row(await k.ok(["get", "svc", "web"]), "web");
      assert.equal(svc.TYPE, "ClusterIP");
      assert.match(svc["CLUSTER-IP"]!, CLUSTER_IP);
      assert.deepEqual([svc["EXTERNAL-IP"], svc["PORT(S)"]], ["<none>", "80/TCP"]);
      const obj = await json(["get", "svc", "web"]);
      assert.deepEqual(obj.spec.clusterIPs, [obj.spec.clusterIP]);
      assert.deepEqual([obj.spec.ipFamilies, obj.spec.ipFamilyPolicy], [["IPv4"], "SingleStack"]);
      // the Endpoints exist at once (without addresses until the pods run)
      const ep = await eventually(async () => (await k.run(["get", "endpoints", "web"])).code === 0, 15_000, "Endpoints web");
      assert.ok(ep);
      const slices = await eventually(async () => {
        const list = (await json(["get", "endpointslices", "-l", "kubernetes.io/service-name=web"])).items as Obj[];
        return list.length === 1 && list;
      }, 15_000, "one EndpointSlice for web");
      assert.match(slices[0].metadata.name, /^web-[a-z0-9]{5}$/);
      assert.equal(slices[0].metadata.labels["endpointslice.kubernetes.io/managed-by"], "endpointslice-controller.k8s.io");
      assert.equal(slices[0].addressType, "IPv4");
    });

    it("get endpoints and endpointslices list the pods' addresses", async () => {
      assert.match(await k.ok(["rollout", "status", "deployment/web", "--timeout=30s"]), /deployment "web" successfully rolled out\n$/);
      const pods = (await json(["get", "pods", "-l", "app=web"])).items as Obj[];
      assert.equal(pods.length, 2);
      const ips = pods.map((p) => p.status?.podIP as string).sort();
      assert.ok(ips.every((ip) => /^10\.244\.\d+\.\d+$/.test(ip)), ips.join());
      assert.deepEqual(pods.map((p) => p.status.podIPs), pods.map((p) => [{ ip: p.status.podIP }]));
      const out = await eventually(async () => {
        const o = await getEndpoints(["web"]);
        return ips.every((ip) => o.includes(`${ip}:80`)) && o;
      }, 20_000, "Endpoints with both pods");
      assert.deepEqual(row(out, "web").ENDPOINTS!.split(",").sort(), ips.map((ip) => `${ip}:80`));
      const slices = await eventually(async () => {
        const o = await k.ok(["get", "endpointslices", "-l", "kubernetes.io/service-name=web"]);
        return ips.every((ip) => o.includes(ip)) && o;
      }, 20_000, "slice with both pods");
      const r = rows(slices)[0]!;
      assert.deepEqual([r.ADDRESSTYPE, r.PORTS], ["IPv4", "80"]);
      assert.deepEqual(r.ENDPOINTS!.split(",").sort(), ips);
      const slice = ((await json(["get", "endpointslices", "-l", "kubernetes.io/service-name=web"])).items as Obj[])[0]!;
      for (const e of slice.endpoints as Obj[]) {
        const pod = pods.find((p) => p.status.podIP === e.addresses[0])!;
        assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
        assert.equal(e.nodeName, pod.spec.nodeName);
        assert.deepEqual(e.targetRef, { kind: "Pod", name: pod.metadata.name, namespace: "default", uid: pod.metadata.uid });
      }
      const ep = JSON.parse(await getEndpoints(["web", "-o", "json"])) as Obj;
      assert.deepEqual((ep.subsets[0].addresses as Obj[]).map((a) => a.ip).sort(), ips);
      assert.deepEqual(ep.subsets[0].ports, [{ port: 80, protocol: "TCP" }]);
    });

    it("NodePort Services print port:nodePort/TCP; a taken NodePort is refused", async () => {
      assert.equal(await k.ok(["create", "service", "nodeport", "np", "--tcp=80:8080"]), "service/np created\n");
      const r = row(await k.ok(["get", "svc", "np"]), "np");
      assert.equal(r.TYPE, "NodePort");
      assert.match(r["PORT(S)"]!, /^80:3\d{4}\/TCP$/);
      const nodePort = Number(r["PORT(S)"]!.slice(3, 8));
      assert.ok(nodePort >= 30000 && nodePort <= 32767);
      const res = await k.run(["create", "service", "nodeport", "np2", "--tcp=80:8080", `--node-port=${nodePort}`]);
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, new RegExp(`Service "np2" is invalid: spec\\.ports\\[0\\]\\.nodePort: Invalid value: ${nodePort}: provided port is already allocated`));
    });

    it("a requested clusterIP in use or out of range is refused with upstream's messages", async () => {
      const web = (await json(["get", "svc", "web"])).spec.clusterIP as string;
      const manifest = (name: string, ip: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  clusterIP: ${ip}\n  ports:\n  - port: 80\n`;
      let res = await k.run(["apply", "-f", "-"], { input: manifest("dup", web) });
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, new RegExp(`The Service "dup" is invalid: spec\\.clusterIPs: Invalid value: \\[\\]string\\{"${web.replace(/\./g, "\\.")}"\\}: failed to allocate IP ${web.replace(/\./g, "\\.")}: provided IP is already allocated`));
      res = await k.run(["apply", "-f", "-"], { input: manifest("far", "192.168.1.1") });
      assert.match(res.stderr, /failed to allocate IP 192\.168\.1\.1: the provided network does not match the current range/);
      assert.equal(await k.ok(["apply", "-f", "-"], { input: manifest("dns", "10.96.0.10") }), "service/dns created\n");
      assert.equal(row(await k.ok(["get", "svc", "dns"]), "dns")["CLUSTER-IP"], "10.96.0.10");
      assert.equal(await k.ok(["apply", "-f", "-"], { input: manifest("dns", "10.96.0.10") }), "service/dns unchanged\n");
    });

    it("LoadBalancer Services get an EXTERNAL-IP and events", async () => {
      assert.equal(await k.ok(["create", "service", "loadbalancer", "lb", "--tcp=80:8080"]), "service/lb created\n");
      const r = await eventually(async () => {
        const x = row(await k.ok(["get", "svc", "lb"]), "lb");
        return x["EXTERNAL-IP"] !== "<pending>" && x;
      }, 15_000, "an external IP");
      assert.equal(r.TYPE, "LoadBalancer");
      assert.match(r["EXTERNAL-IP"]!, /^172\.18\.255\.\d+$/);
      assert.match(r["PORT(S)"]!, /^80:3\d{4}\/TCP$/);
      const obj = await json(["get", "svc", "lb"]);
      assert.deepEqual(obj.status.loadBalancer.ingress, [{ ip: r["EXTERNAL-IP"], ipMode: "VIP" }]);
      const events = await k.ok(["get", "events", "--field-selector", "involvedObject.kind=Service,involvedObject.name=lb"]);
      assert.match(events, /Normal\s+EnsuringLoadBalancer\s+service\/lb\s+Ensuring load balancer/);
      assert.match(events, /Normal\s+EnsuredLoadBalancer\s+service\/lb\s+Ensured load balancer/);
      assert.equal(await k.ok(["delete", "svc", "lb"]), 'service "lb" deleted\n');
      const gone = await k.run(["get", "svc", "lb"]);
      assert.match(gone.stderr, /services "lb" not found/);
    });

    it("headless and ExternalName Services", async () => {
      assert.equal(await k.ok(["create", "service", "clusterip", "db", "--clusterip=None", "--tcp=5432"]), "service/db created\n");
      assert.equal(await k.ok(["create", "service", "externalname", "ext", "--external-name=example.com"]), "service/ext created\n");
      const out = await k.ok(["get", "svc", "db", "ext"]);
      assert.deepEqual([row(out, "db")["CLUSTER-IP"], row(out, "db")["EXTERNAL-IP"], row(out, "db")["PORT(S)"]], ["None", "<none>", "5432/TCP"]);
      assert.deepEqual([row(out, "ext").TYPE, row(out, "ext")["CLUSTER-IP"], row(out, "ext")["EXTERNAL-IP"], row(out, "ext")["PORT(S)"]], ["ExternalName", "<none>", "example.com", "<none>"]);
      const ep = await eventually(async () => {
        const r = await k.run(["get", "endpoints", "db", "-o", "json"]);
        return r.code === 0 && (JSON.parse(r.stdout) as Obj);
      }, 15_000, "Endpoints db");
      assert.equal(ep.metadata.labels["service.kubernetes.io/headless"], "");
      const none = await k.run(["get", "endpoints", "ext"]);
      assert.match(none.stderr, /endpoints "ext" not found/, "ExternalName Services get no Endpoints");
    });

    it("get endpoints / endpointslices of a Service without ready pods", async () => {
      const out = await eventually(async () => {
        const r = await k.run(["get", "endpoints", "np"]);
        return r.code === 0 && r.stdout;
      }, 15_000, "Endpoints np");
      assert.deepEqual(row(out, "np").ENDPOINTS, "<none>");
      assert.equal((await getEndpoints(["np"])).split("\n")[0]!.replace(/\s+/g, " "), "NAME ENDPOINTS AGE");
      const slices = await eventually(async () => {
        const o = await k.ok(["get", "endpointslices", "-l", "kubernetes.io/service-name=np"]);
        return rows(o).length === 1 && o;
      }, 15_000, "np slice");
      const r = rows(slices)[0]!;
      assert.match(r.NAME!, /^np-[a-z0-9]{5}$/);
      assert.deepEqual([r.ADDRESSTYPE, r.PORTS, r.ENDPOINTS], ["IPv4", "<unset>", "<unset>"]);
    });

    it("Ingresses with a class report the ingress controller's address", async () => {
      assert.match(await k.ok(["create", "ingress", "site", "--class=nginx", "--rule=site.example.com/*=web:80"]), /^ingress\.networking\.k8s\.io\/site created\n$/);
      const r = await eventually(async () => {
        const x = row(await k.ok(["get", "ingress", "site"]), "site");
        return x.ADDRESS ? x : undefined;
      }, 15_000, "an ingress address");
      assert.deepEqual([r.CLASS, r.HOSTS, r.ADDRESS, r.PORTS], ["nginx", "site.example.com", "localhost", "80"]);
    });
  });
}
