// The protobuf wire reader: varints as Go reads them (10 bytes max, negative int32 as 10-byte
// two's complement), fixed-width values, length-delimited fields, unknown-field skipping (groups
// included) and the errors gogo's unmarshalers report.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { describe, it } from "node:test";
import { Reader, WireError } from "../../../src/protobuf/wire.js";
import { Writer } from "./encoder.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const reader = (s: string) => new Reader(hex(s));

describe("protobuf wire reader", () => {
  it("reads varints of every length", () => {
    assert.equal(reader("00").uint32(), 0);
    assert.equal(reader("01").uint32(), 1);
    assert.equal(reader("7f").uint32(), 127);
    assert.equal(reader("ac02").uint32(), 300);
    assert.equal(reader("ffffffff0f").uint32(), 0xffffffff);
    assert.equal(reader("8080808010").uint64(), 2 ** 32);
    assert.equal(reader("ffffffffffffff0f").uint64(), Number.MAX_SAFE_INTEGER);
    assert.equal(reader("ffffffffffffffff7f").int64Big(), 2n ** 63n - 1n);
    assert.equal(reader("ffffffffffffffffff01").int64Big(), -1n);
    const r = reader("96 01 ac 02");
    assert.equal(r.uint32(), 150);
    assert.equal(r.uint32(), 300);
    assert.ok(r.done);
  });

  it("reads negative int32 and int64 written as 10-byte varints", () => {
    for (const n of [-1, -2, -150, -(2 ** 31)]) {
      const bytes = new Writer().varint(n).bytes();
      assert.equal(bytes.length, 10, `${n} takes 10 bytes`);
      assert.equal(new Reader(bytes).int32(), n);
      assert.equal(new Reader(bytes).int64(), n);
      assert.equal(new Reader(bytes).int64Big(), BigInt(n));
    }
    assert.equal(new Reader(new Writer().varint(-(2 ** 40)).bytes()).int64(), -(2 ** 40));
    assert.equal(new Reader(new Writer().varint(-(2n ** 63n)).bytes()).int64Big(), -(2n ** 63n));
  });

  it("truncates a varint to 32 bits for int32 (as Go's int32(x) does)", () => {
    assert.equal(new Reader(new Writer().varint(2 ** 32 + 5).bytes()).int32(), 5);
    assert.equal(new Reader(new Writer().varint(2 ** 31).bytes()).int32(), -(2 ** 31));
  });

  it("reads bools, zigzag and fixed-width values", () => {
    assert.equal(reader("00").bool(), false);
    assert.equal(reader("01").bool(), true);
    assert.equal(reader("8080808010").bool(), true, "only high bits set is still true");
    assert.equal(reader("03").sint32(), -2);
    assert.equal(reader("04").sint32(), 2);
    assert.equal(reader("03").sint64(), -2);
    assert.equal(reader("78563412").fixed32(), 0x12345678);
    assert.equal(reader("ffffffff").sfixed32(), -1);
    assert.equal(reader("0100000001000000").fixed64(), 2 ** 32 + 1);
    assert.equal(reader("feffffffffffffff").sfixed64(), -2);
    const d = Buffer.alloc(8);
    d.writeDoubleLE(-1.5);
    assert.equal(new Reader(d).double(), -1.5);
    const f = Buffer.alloc(4);
    f.writeFloatLE(0.25);
    assert.equal(new Reader(f).float(), 0.25);
  });

  it("rejects truncated and overlong varints", () => {
    assert.throws(() => reader("").uint32(), (e: Error) => e instanceof WireError && e.message === "unexpected EOF");
    assert.throws(() => reader("80").uint32(), /unexpected EOF/);
    assert.throws(() => reader("ffffffff").uint64(), /unexpected EOF/);
    assert.throws(() => reader("ffffffffffffffffffff01").uint64(), /proto: integer overflow/);
    assert.throws(() => reader("0000").fixed32(), /unexpected EOF/);
    assert.throws(() => reader("00000000000000").double(), /unexpected EOF/);
  });

  it("reads length-delimited fields and checks their length", () => {
    const r = reader("03 616263 00");
    assert.deepEqual(r.lengthDelimited(), [1, 4]);
    assert.deepEqual(r.lengthDelimited(), [5, 5]);
    assert.ok(r.done);
    assert.throws(() => reader("05 6162").lengthDelimited(), /unexpected EOF/);
    assert.throws(() => new Reader(new Writer().varint(-1).bytes()).lengthDelimited(), /negative length/);
    assert.throws(() => new Reader(new Writer().varint(2 ** 40).bytes()).lengthDelimited(), /unexpected EOF/);
  });

  it("reads a length-delimited field only within the enclosing message", () => {
    const r = new Reader(hex("0a 03 616263"), 0, 3);
    r.tag("M");
    assert.throws(() => r.lengthDelimited(), /unexpected EOF/);
  });

  it("reads tags and rejects illegal ones", () => {
    assert.deepEqual(reader("0a").tag("M"), [1, 2]);
    assert.deepEqual(reader("f8ffffff0f").tag("M"), [536870911, 0]);
    assert.throws(() => reader("02").tag("ConfigMap"), /proto: ConfigMap: illegal tag 0 \(wire type 2\)/);
    assert.throws(() => reader("0c").tag("ConfigMap"), /proto: ConfigMap: wiretype end group for non-group/);
  });

  it("skips unknown fields of every wire type, groups included", () => {
    const w = new Writer()
      .tag(100, 0)
      .varint(-1)
      .tag(101, 1)
      .raw(Buffer.alloc(8))
      .string(102, "skipped")
      .tag(103, 5)
      .raw(Buffer.alloc(4))
      .tag(104, 3) // group with a nested group inside
      .tag(1, 0)
      .varint(7)
      .tag(2, 3)
      .tag(3, 2)
      .varint(1)
      .raw(Buffer.from("a"))
      .tag(2, 4)
      .tag(104, 4)
      .tag(1, 0)
      .varint(42);
    const r = new Reader(w.bytes());
    for (let i = 0; i < 5; i++) {
      const [, wt] = r.tag("M");
      r.skip(wt);
    }
    assert.deepEqual(r.tag("M"), [1, 0]);
    assert.equal(r.uint32(), 42);
    assert.ok(r.done);
  });

  it("rejects illegal wire types and unterminated groups when skipping", () => {
    assert.throws(() => reader("").skip(6), /proto: illegal wireType 6/);
    assert.throws(() => reader("").skip(7), /proto: illegal wireType 7/);
    assert.throws(() => reader("0800").skip(3), /unexpected EOF/);
    assert.throws(() => reader("").skip(4), /unexpected end group/);
  });
});
