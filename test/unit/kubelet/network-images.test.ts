// Address arithmetic, pod IP allocation, image references, back-off and Go durations.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff, goDuration } from "../../../src/kubelet/backoff.ts";
import { effectivePullPolicy, imageID, NodeImageStore, parseImage, pullError } from "../../../src/kubelet/images.ts";
import { formatCidr, nodeCidr, nodeMaskSize, parseCidr, PodIPAllocator } from "../../../src/kubelet/ip.ts";

describe("kubelet ip", () => {
  it("cuts node ranges from the cluster pod CIDR in order", () => {
    const cluster = parseCidr("10.244.0.0/16");
    assert.equal(nodeMaskSize(cluster, 3, 24), 24);
    assert.equal(formatCidr(nodeCidr(cluster, 24, 0)!), "10.244.0.0/24");
    assert.equal(formatCidr(nodeCidr(cluster, 24, 2)!), "10.244.2.0/24");
    assert.equal(nodeCidr(cluster, 24, 256), undefined);
  });
  it("uses smaller node ranges when the cluster range cannot hold every node at the requested size", () => {
    const cluster = parseCidr("10.244.0.0/16");
    assert.equal(nodeMaskSize(cluster, 1000, 24), 26);
    assert.equal(formatCidr(nodeCidr(cluster, 26, 999)!), "10.244.249.192/26");
    assert.equal(nodeMaskSize(parseCidr("10.0.0.0/28"), 100, 24), 30);
  });
  it("normalises the network address", () => assert.equal(formatCidr(parseCidr("10.244.3.7/16")), "10.244.0.0/16"));
  it("rejects garbage", () => {
    assert.throws(() => parseCidr("10.0.0.0"));
    assert.throws(() => parseCidr("300.0.0.0/8"));
  });
  it("hands out .2 upwards, round robin, never twice, reusing released addresses", () => {
    const a = new PodIPAllocator(parseCidr("10.244.1.0/29"));
    const got = [a.allocate(), a.allocate(), a.allocate()];
    assert.deepEqual(got, ["10.244.1.2", "10.244.1.3", "10.244.1.4"]);
    a.release("10.244.1.3");
    assert.deepEqual([a.allocate(), a.allocate(), a.allocate()], ["10.244.1.5", "10.244.1.6", "10.244.1.3"]);
    assert.equal(a.allocate(), undefined, "a /29 has 5 usable pod addresses");
    assert.equal(a.allocated, 5);
  });
  it("reserves adopted addresses", () => {
    const a = new PodIPAllocator(parseCidr("10.244.1.0/24"));
    assert.equal(a.reserve("10.244.1.2"), true);
    assert.equal(a.reserve("10.9.9.9"), false);
    assert.equal(a.allocate(), "10.244.1.3");
  });
});

describe("kubelet images", () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ["nginx", "docker.io/library/nginx:latest", "docker.io/library/nginx"],
    ["nginx:1.27", "docker.io/library/nginx:1.27", "docker.io/library/nginx"],
    ["bitnami/redis:7", "docker.io/bitnami/redis:7", "docker.io/bitnami/redis"],
    ["registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10", "registry.k8s.io/pause"],
    ["localhost:5000/app", "localhost:5000/app:latest", "localhost:5000/app"],
    [`nginx@sha256:${"a".repeat(64)}`, `docker.io/library/nginx@sha256:${"a".repeat(64)}`, "docker.io/library/nginx"],
    ["Nginx", undefined, undefined],
    ["nginx:", undefined, undefined],
  ];
  for (const [image, normalized, repo] of cases) {
    it(`parses ${image}`, () => {
      const ref = parseImage(image);
      assert.equal(ref?.normalized, normalized);
      assert.equal(ref?.repository, repo);
    });
  }
  it("imageID is a stable repo digest", () => {
    const id = imageID(parseImage("nginx")!);
    assert.match(id, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.equal(id, imageID(parseImage("docker.io/library/nginx:latest")!));
  });
  it("defaults imagePullPolicy as the API server does", () => {
    assert.equal(effectivePullPolicy({ image: "nginx" }), "Always");
    assert.equal(effectivePullPolicy({ image: "nginx:latest" }), "Always");
    assert.equal(effectivePullPolicy({ image: "nginx:1.27" }), "IfNotPresent");
    assert.equal(effectivePullPolicy({ image: "nginx", imagePullPolicy: "Never" }), "Never");
  });
  it("pull errors as containerd reports them", () => {
    assert.equal(
      pullError(parseImage("nginx:doesnotexist")!),
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found',
    );
    assert.match(pullError(parseImage("doesnotexist/app")!), /pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/);
  });
  it("a node's images, largest first, with repo digest and tags", () => {
    const s = new NodeImageStore(["registry.k8s.io/pause:3.10"]);
    const gen = s.generation;
    s.add(parseImage("nginx:1.27")!);
    s.add(parseImage("nginx:1.27")!);
    assert.equal(s.generation, gen + 2);
    assert.equal(s.has(parseImage("nginx:1.27")!), true);
    assert.equal(s.has(parseImage("nginx:1.26")!), false);
    const list = s.list();
    assert.equal(list.length, 2);
    assert.match(list[0]!.names[0]!, /^docker\.io\/library\/nginx@sha256:/);
    assert.equal(list[0]!.names[1], "docker.io/library/nginx:1.27");
    assert.ok(list[0]!.sizeBytes > list[1]!.sizeBytes);
  });
});

describe("kubelet back-off", () => {
  it("starts at 10s and doubles to 5m (crash loops)", () => {
    const b = new Backoff();
    const seen: string[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      b.next("k", t, t);
      seen.push(goDuration(b.get("k")));
      t += 1000;
    }
    assert.deepEqual(seen, ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"]);
  });
  it("is in back-off since an event for the current duration", () => {
    const b = new Backoff();
    assert.equal(b.isInBackOffSince("k", 0, 0), false);
    b.next("k", 0, 0);
    assert.equal(b.isInBackOffSince("k", 1000, 5000), true);
    assert.equal(b.isInBackOffSince("k", 1000, 11_000), false);
    assert.equal(b.isInBackOffSinceUpdate("k", 9_999), true);
    assert.equal(b.isInBackOffSinceUpdate("k", 10_000), false);
  });
  it("starts over after twice the maximum without failures", () => {
    const b = new Backoff();
    b.next("k", 0, 0);
    b.next("k", 1, 1);
    assert.equal(b.get("k"), 20_000);
    b.next("k", 700_000, 700_000);
    assert.equal(b.get("k"), 10_000);
  });
  it("formats Go durations", () => {
    assert.deepEqual([0, 523, 1234, 10_000, 80_000, 3_600_000, 61_500].map(goDuration), ["0s", "523ms", "1.234s", "10s", "1m20s", "1h0m0s", "1m1.5s"]);
  });
});
