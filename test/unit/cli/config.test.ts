// Command-line flags: defaults, the cluster-shape flags, and usage errors for bad values.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Config, parseConfig, UsageError } from "../../../src/config.js";

const parse = (args: string[]) => parseConfig(args) as Config;

describe("kubefacade flags", () => {
  it("defaults match a kind-like cluster", () => {
    const c = parse([]);
    assert.equal(c.port, 6443);
    assert.equal(c.nodes, 3);
    assert.equal(c.serviceClusterIPRange, "10.96.0.0/12");
    assert.equal(c.clusterCIDR, "10.244.0.0/16");
    assert.deepEqual(c.serviceNodePortRange, [30000, 32767]);
    assert.equal(c.nodeCPU, "8");
    assert.equal(c.nodeMemory, "32Gi");
    assert.equal(c.maxPods, 110);
    assert.deepEqual(c.nodeLabels, {});
    assert.deepEqual(c.registerWithTaints, []);
    assert.equal(c.kubeletTimeScale, 1);
    assert.deepEqual(c.disableAdmissionPlugins, []);
    assert.equal(c.controllers, undefined);
  });

  it("node shape, taints, labels, ranges and admission plugins", () => {
    const c = parse([
      "--nodes=5",
      "--node-cpu=4",
      "--node-memory=16Gi",
      "--max-pods=30",
      "--node-labels=tier=gpu,topology.kubernetes.io/zone=z1",
      "--register-with-taints=dedicated=gpu:NoSchedule,spot:PreferNoSchedule",
      "--kubelet-time-scale=0",
      "--service-cluster-ip-range=10.0.0.0/16",
      "--cluster-cidr=10.1.0.0/16",
      "--service-node-port-range=31000-31999",
      "--disable-admission-plugins=ServiceAccount,LimitRanger",
      "--controllers=none",
    ]);
    assert.equal(c.nodes, 5);
    assert.equal(c.nodeCPU, "4");
    assert.equal(c.nodeMemory, "16Gi");
    assert.equal(c.maxPods, 30);
    assert.deepEqual(c.nodeLabels, { tier: "gpu", "topology.kubernetes.io/zone": "z1" });
    assert.deepEqual(c.registerWithTaints, [
      { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      { key: "spot", effect: "PreferNoSchedule" },
    ]);
    assert.equal(c.kubeletTimeScale, 0);
    assert.equal(c.serviceClusterIPRange, "10.0.0.0/16");
    assert.equal(c.clusterCIDR, "10.1.0.0/16");
    assert.deepEqual(c.serviceNodePortRange, [31000, 31999]);
    assert.deepEqual(c.disableAdmissionPlugins, ["ServiceAccount", "LimitRanger"]);
    assert.deepEqual(c.controllers, []);
  });

  const bad: [string[], RegExp][] = [
    [["--port=70000"], /--port must be 0-65535/],
    [["--storage=etcd"], /--storage must be leveldb or memory/],
    [["--nodes=-1"], /--nodes must be an integer >= 0/],
    [["--max-pods=0"], /--max-pods must be an integer >= 1/],
    [["--node-memory=lots"], /--node-memory must be a Kubernetes quantity/],
    [["--node-labels=novalue"], /--node-labels: expected key=value/],
    [["--register-with-taints=a=b:Sometimes"], /--register-with-taints: expected key\[=value\]:NoSchedule/],
    [["--service-node-port-range=32767-30000"], /--service-node-port-range must look like 30000-32767/],
    [["--cluster-cidr=10.244.0.0"], /--cluster-cidr must be an IPv4 CIDR/],
    [["--kubelet-time-scale=-1"], /--kubelet-time-scale must be a number >= 0/],
  ];
  for (const [args, message] of bad) it(`${args.join(" ")} is a usage error`, () => assert.throws(() => parseConfig(args), (e: unknown) => e instanceof UsageError && message.test(e.message)));
});
