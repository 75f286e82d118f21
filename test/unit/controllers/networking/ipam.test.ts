// Address arithmetic and the offset pools behind Service and LoadBalancer allocation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CIDR, IPRange, OffsetPool, PortRange, formatIP, parseIP, staticBandSize } from "../../../../src/controllers/networking/ipam.js";
import { LoadBalancerPool } from "../../../../src/controllers/networking/loadbalancer.js";

/** A deterministic "random" source: always the given fraction of the range. */
const fixed = (f: number) => () => f;

describe("IP parsing and formatting", () => {
  const cases: [string, string | undefined][] = [
    ["10.96.0.1", "10.96.0.1"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["10.96.0.256", undefined],
    ["10.96.0", undefined],
    ["10.96.0.1.2", undefined],
    ["", undefined],
    ["abc", undefined],
    ["fd00::1", "fd00::1"],
    ["FD00:0:0:0:0:0:0:1", "fd00::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["::", "::"],
    ["::1", "::1"],
    ["1::", "1::"],
    ["2001:db8::ffff:10.1.2.3", "2001:db8::ffff:a01:203"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["1:2:3:4:5:6:7:8:9", undefined],
    ["1::2::3", undefined],
    ["12345::", undefined],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${want ?? "invalid"}`, () => {
      const p = parseIP(input);
      if (want === undefined) return assert.equal(p, undefined);
      assert.ok(p);
      assert.equal(formatIP(p.value, p.family), want);
    });
  }

  it("RFC 5952: the first longest run of zero groups is compressed, single zero groups are not", () => {
    assert.equal(formatIP(parseIP("1:0:0:2:0:0:0:3")!.value, "IPv6"), "1:0:0:2::3");
    assert.equal(formatIP(parseIP("1:0:0:2:0:0:3:4")!.value, "IPv6"), "1::2:0:0:3:4");
    assert.equal(formatIP(parseIP("1:0:2:3:4:5:6:7")!.value, "IPv6"), "1:0:2:3:4:5:6:7");
  });
});

describe("CIDR math", () => {
  it("masks the network address and knows its size and broadcast", () => {
    const c = CIDR.parse("10.96.5.7/12");
    assert.equal(c.toString(), "10.96.0.0/12");
    assert.equal(c.size, 1n << 20n);
    assert.equal(formatIP(c.broadcast, "IPv4"), "10.111.255.255");
    assert.ok(c.contains("10.111.255.255"));
    assert.ok(c.contains("10.96.0.0"));
    assert.ok(!c.contains("10.112.0.0"));
    assert.ok(!c.contains("10.95.255.255"));
    assert.ok(!c.contains("fd00::1"));
    assert.ok(!c.contains("nonsense"));
  });

  it("IPv6 prefixes", () => {
    const c = CIDR.parse("fd00:10:96::/112");
    assert.equal(c.size, 65536n);
    assert.equal(formatIP(c.broadcast, "IPv6"), "fd00:10:96::ffff");
    assert.ok(c.contains("fd00:10:96::1"));
    assert.ok(!c.contains("10.96.0.1"));
  });

  it("rejects malformed ranges", () => {
    for (const bad of ["10.96.0.0", "10.96.0.0/33", "10.96.0.0/x", "x/12", "fd00::/129"]) assert.throws(() => CIDR.parse(bad), /invalid CIDR address/);
  });
});

describe("service IP ranges", () => {
  it("10.96.0.0/12: the network and broadcast addresses are never handed out", () => {
    const r = new IPRange("10.96.0.0/12");
    assert.equal(r.size, (1 << 20) - 2);
    assert.equal(r.at(0), "10.96.0.1");
    assert.equal(r.at(r.size - 1), "10.111.255.254");
    assert.equal(r.offsetOf("10.96.0.1"), 0);
    assert.equal(r.offsetOf("10.96.0.10"), 9);
    assert.equal(r.offsetOf("10.96.0.0"), undefined);
    assert.equal(r.offsetOf("10.111.255.255"), undefined);
    assert.equal(r.offsetOf("10.112.0.1"), undefined);
    assert.equal(r.staticBand, 256, "min(max(16, 2^20/16), 256)");
  });

  it("static bands follow upstream's min(max(min, size/step), max)", () => {
    assert.equal(new IPRange("10.0.0.0/28").staticBand, 0, "16 addresses: no static band");
    assert.equal(new IPRange("10.0.0.0/27").staticBand, 16);
    assert.equal(new IPRange("10.0.0.0/24").staticBand, 16);
    assert.equal(new IPRange("10.0.0.0/20").staticBand, 256);
    assert.equal(new PortRange(30000, 32767).staticBand, 86, "2768/32");
    assert.equal(new PortRange(30000, 30009).staticBand, 0);
    assert.equal(new PortRange(1, 65535).staticBand, 128);
    assert.equal(staticBandSize(17, 16, 128, 32), 16);
  });

  it("IPv6 ranges keep their last address", () => {
    const r = new IPRange("fd00::/120");
    assert.equal(r.size, 255);
    assert.equal(r.at(254), "fd00::ff");
  });
});

describe("NodePort ranges", () => {
  it("30000-32767", () => {
    const r = new PortRange(30000, 32767);
    assert.equal(r.size, 2768);
    assert.equal(r.toString(), "30000-32767");
    assert.equal(r.offsetOf(30000), 0);
    assert.equal(r.offsetOf(32767), 2767);
    assert.equal(r.offsetOf(29999), undefined);
    assert.equal(r.offsetOf(32768), undefined);
    assert.equal(r.at(86), 30086);
  });
});

describe("offset pools", () => {
  it("dynamic values come from the upper band first, scanning forward from a random start", () => {
    const pool = new OffsetPool<string>(10, 4, fixed(0.5));
    assert.equal(pool.findFree(), 4 + 3, "upper band [4,10): start at 3 of 6");
    pool.set(7, "a");
    assert.equal(pool.findFree(), 8);
    pool.set(8, "b");
    pool.set(9, "c");
    assert.equal(pool.findFree(), 4, "wraps around inside the band");
  });

  it("falls back to the lower (static) band when the upper one is full, then reports full", () => {
    const pool = new OffsetPool<string>(6, 2, fixed(0));
    for (let i = 2; i < 6; i++) pool.set(i, "x");
    assert.equal(pool.findFree(), 0);
    pool.set(0, "y");
    assert.equal(pool.findFree(), 1);
    pool.set(1, "z");
    assert.equal(pool.findFree(), undefined);
    assert.equal(pool.free, 0);
    pool.delete(3);
    assert.equal(pool.findFree(), 3, "a released value is free again");
  });

  it("never hands out a taken value however random lands", () => {
    for (const f of [0, 0.25, 0.5, 0.999999]) {
      const pool = new OffsetPool<number>(50, 8, fixed(f));
      const seen = new Set<number>();
      for (let i = 0; i < 50; i++) {
        const off = pool.findFree();
        assert.ok(off !== undefined && !seen.has(off));
        seen.add(off);
        pool.set(off, i);
      }
      assert.equal(pool.findFree(), undefined);
    }
  });

  it("refuses offsets outside the pool", () => {
    const pool = new OffsetPool<string>(4, 0);
    assert.throws(() => pool.set(4, "x"), RangeError);
    assert.throws(() => pool.set(-1, "x"), RangeError);
  });
});

describe("load balancer pool", () => {
  it("hands out the lowest free address, keeps a Service's address, honours requests and releases", () => {
    const pool = new LoadBalancerPool("172.18.255.0/29");
    assert.equal(pool.ensure("ns/a"), "172.18.255.1");
    assert.equal(pool.ensure("ns/b"), "172.18.255.2");
    assert.equal(pool.ensure("ns/a"), "172.18.255.1", "idempotent");
    assert.equal(pool.ensure("ns/c", "172.18.255.5"), "172.18.255.5");
    assert.throws(() => pool.ensure("ns/d", "172.18.255.5"), /requested IP 172.18.255.5 is already in use by service ns\/c/);
    assert.throws(() => pool.ensure("ns/d", "10.0.0.1"), /not in the load balancer range 172.18.255.0\/29/);
    assert.ok(pool.release("ns/a"));
    assert.equal(pool.ensure("ns/d"), "172.18.255.1");
    assert.equal(pool.ensure("ns/e"), "172.18.255.3");
    assert.equal(pool.ensure("ns/f"), "172.18.255.4");
    assert.equal(pool.ensure("ns/g"), "172.18.255.6");
    assert.throws(() => pool.ensure("ns/h"), /no available IPs in the load balancer range/);
  });

  it("adopts addresses found in Service status after a restart, refusing duplicates", () => {
    const pool = new LoadBalancerPool("172.18.255.0/24");
    assert.ok(pool.adopt("ns/a", "172.18.255.9"));
    assert.ok(!pool.adopt("ns/b", "172.18.255.9"));
    assert.ok(!pool.adopt("ns/b", "192.168.0.1"));
    assert.equal(pool.ipOf("ns/a"), "172.18.255.9");
    assert.equal(pool.ensure("ns/b"), "172.18.255.1");
  });
});
