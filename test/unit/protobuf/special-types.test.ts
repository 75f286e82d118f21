// The types whose JSON form is not field-by-field (their own MarshalJSON upstream): Time,
// MicroTime, Duration, Quantity, IntOrString, RawExtension, FieldsV1, the apiextensions JSON and
// JSONSchemaPropsOr* unions, named string slices (ExtraValue), []byte and map<string, bytes>.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { describe, it } from "node:test";
import { decodeProtobufMessage } from "../../../src/protobuf/index.js";
import { formatDuration } from "../../../src/protobuf/go-format.js";
import { encodeMessage, parseGoDuration, Writer } from "./encoder.js";

const decode = (type: string, w: Writer | Buffer) => decodeProtobufMessage(type, Buffer.isBuffer(w) ? w : w.bytes());
/** A message with one field holding the given bytes. */
const field = (n: number, payload: Uint8Array) => new Writer().lengthDelimited(n, payload);
const time = (seconds?: number, nanos?: number) => {
  const w = new Writer();
  if (seconds !== undefined) w.tag(1, 0).varint(seconds);
  if (nanos !== undefined) w.tag(2, 0).varint(nanos);
  return w.bytes();
};

describe("metav1.Time and MicroTime", () => {
  // ObjectMeta: 8 creationTimestamp (Time, not a pointer), 9 deletionTimestamp (*Time)
  it("is an RFC 3339 string in UTC, seconds precision", () => {
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time(1735689600))), { creationTimestamp: "2025-01-01T00:00:00Z" });
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time(1735689600, 999_999_999))), { creationTimestamp: "2025-01-01T00:00:00Z" });
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time(0, 0))).creationTimestamp, "1970-01-01T00:00:00Z");
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time(-1))).creationTimestamp, "1969-12-31T23:59:59Z");
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time(253402300799))).creationTimestamp, "9999-12-31T23:59:59Z");
  });

  it("normalises nanos outside [0, 1e9) into seconds, as time.Unix does", () => {
    assert.equal(decode("meta.v1.ObjectMeta", field(8, time(10, 2_000_000_000))).creationTimestamp, "1970-01-01T00:00:12Z");
    assert.equal(decode("meta.v1.ObjectMeta", field(8, time(10, -1))).creationTimestamp, "1970-01-01T00:00:09Z");
  });

  it("is null when zero: an empty message (what Go sends), no seconds, or Go's zero instant", () => {
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time())), { creationTimestamp: null });
    assert.deepEqual(decode("meta.v1.ObjectMeta", new Writer()), { creationTimestamp: null }, "absent non-pointer Time");
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(8, time(-62135596800, 0))), { creationTimestamp: null });
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(9, time())), { creationTimestamp: null, deletionTimestamp: null }, "a set *Time that is zero");
  });

  it("MicroTime has exactly six fractional digits", () => {
    // coordination.v1.LeaseSpec: 3 acquireTime (*MicroTime)
    assert.deepEqual(decode("coordination.v1.LeaseSpec", field(3, time(1735689600, 123_456_789))), { acquireTime: "2025-01-01T00:00:00.123456Z" });
    assert.deepEqual(decode("coordination.v1.LeaseSpec", field(3, time(1735689600))), { acquireTime: "2025-01-01T00:00:00.000000Z" });
    assert.deepEqual(decode("coordination.v1.LeaseSpec", field(3, time())), { acquireTime: null });
    // events.v1.Event: 2 eventTime (MicroTime, not a pointer, no omitempty)
    assert.equal(decode("events.v1.Event", new Writer()).eventTime, null);
  });

  it("round-trips through the test encoder", () => {
    for (const t of ["2025-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2038-01-19T03:14:08Z"]) {
      assert.equal(decode("meta.v1.ObjectMeta", encodeMessage("meta.v1.ObjectMeta", { creationTimestamp: t })).creationTimestamp, t);
    }
    const micro = "2025-06-01T12:30:45.000123Z";
    assert.equal(decode("coordination.v1.LeaseSpec", encodeMessage("coordination.v1.LeaseSpec", { renewTime: micro })).renewTime, micro);
  });
});

describe("metav1.Duration", () => {
  const cases: [bigint, string][] = [
    [0n, "0s"],
    [1n, "1ns"],
    [999n, "999ns"],
    [1_500n, "1.5µs"],
    [1_000_000n, "1ms"],
    [1_234_567n, "1.234567ms"],
    [1_000_000_000n, "1s"],
    [1_500_000_000n, "1.5s"],
    [60_000_000_000n, "1m0s"],
    [90_000_000_000n, "1m30s"],
    [3_600_000_000_000n, "1h0m0s"],
    [5_400_000_000_000n, "1h30m0s"],
    [-5_400_000_000_000n, "-1h30m0s"],
    [-1n, "-1ns"],
    [2n ** 63n - 1n, "2562047h47m16.854775807s"],
    [-(2n ** 63n), "-2562047h47m16.854775808s"],
  ];
  it("formats like Go's time.Duration.String()", () => {
    for (const [ns, s] of cases) assert.equal(formatDuration(ns), s, String(ns));
  });
  it("decodes { duration: int64 } to that string", () => {
    for (const [ns, s] of cases) assert.equal(decode("meta.v1.Duration", new Writer().tag(1, 0).varint(ns)) as unknown, s);
    assert.equal(decode("meta.v1.Duration", new Writer()) as unknown, "0s");
    for (const [, s] of cases.slice(0, 14)) assert.equal(decode("meta.v1.Duration", encodeMessage("meta.v1.Duration", s)) as unknown, s);
    assert.equal(parseGoDuration("1h0m0s"), 3_600_000_000_000n);
  });
});

describe("resource.Quantity and intstr.IntOrString", () => {
  it("a Quantity is its string; a zero Quantity is \"0\"", () => {
    const q = new Writer().string(1, "500m").bytes();
    // core.v1.ResourceRequirements: 1 limits map<string, Quantity>
    const entry = new Writer().string(1, "cpu").lengthDelimited(2, q).bytes();
    assert.deepEqual(decode("core.v1.ResourceRequirements", field(1, entry)), { limits: { cpu: "500m" } });
    const noValue = new Writer().string(1, "memory").bytes();
    assert.deepEqual(decode("core.v1.ResourceRequirements", field(1, noValue)), { limits: { memory: "0" } });
    // storage.v1.CSIStorageCapacity: 4 capacity (*Quantity)
    assert.deepEqual(decode("storage.v1.CSIStorageCapacity", field(4, q)).capacity, "500m");
  });

  it("an IntOrString is a number or a string by its type", () => {
    // core.v1.ServicePort: 4 targetPort (IntOrString, not a pointer, omitempty: still present, as a struct)
    const int = new Writer().tag(1, 0).varint(0).tag(2, 0).varint(8080).string(3, "").bytes();
    const str = new Writer().tag(1, 0).varint(1).tag(2, 0).varint(0).string(3, "http").bytes();
    assert.equal(decode("core.v1.ServicePort", field(4, int)).targetPort, 8080);
    assert.equal(decode("core.v1.ServicePort", field(4, str)).targetPort, "http");
    assert.equal(decode("core.v1.ServicePort", field(4, new Writer().tag(2, 0).varint(-1).bytes())).targetPort, -1);
    assert.equal(decode("core.v1.ServicePort", new Writer()).targetPort, 0, "absent: the zero IntOrString");
    // policy.v1.PodDisruptionBudgetSpec: 1 minAvailable (*IntOrString)
    assert.deepEqual(decode("policy.v1.PodDisruptionBudgetSpec", field(1, str)), { minAvailable: "http" });
    assert.deepEqual(decode("policy.v1.PodDisruptionBudgetSpec", new Writer()), {});
    assert.throws(() => decode("core.v1.ServicePort", field(4, new Writer().tag(1, 0).varint(2).bytes())), /impossible IntOrString.Type/);
  });
});

describe("embedded JSON: RawExtension, FieldsV1, apiextensions JSON", () => {
  it("RawExtension is the embedded JSON document, or null", () => {
    // apps.v1.ControllerRevision: 2 data (RawExtension)
    const raw = (s: string) => field(2, new Writer().lengthDelimited(1, Buffer.from(s)).bytes());
    assert.deepEqual(decode("apps.v1.ControllerRevision", raw('{"spec":{"a":[1,"x",null]}}')).data, { spec: { a: [1, "x", null] } });
    assert.equal(decode("apps.v1.ControllerRevision", raw("")).data, null);
    assert.equal(decode("apps.v1.ControllerRevision", new Writer()).data, null);
    assert.throws(() => decode("apps.v1.ControllerRevision", raw("{not json")), /embedded JSON is invalid/);
  });

  it("FieldsV1 in managedFields is the embedded JSON", () => {
    const entry = encodeMessage("meta.v1.ManagedFieldsEntry", {
      manager: "kubectl",
      operation: "Update",
      apiVersion: "v1",
      time: "2025-01-01T00:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:a": {} } },
    });
    assert.deepEqual(decode("meta.v1.ObjectMeta", field(17, entry)).managedFields, [
      { manager: "kubectl", operation: "Update", apiVersion: "v1", time: "2025-01-01T00:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:a": {} } } },
    ]);
  });

  it("JSONSchemaProps uses the JSON names $ref, $schema, x-kubernetes-* and embedded JSON for default/enum/example", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-04/schema#",
      description: "d",
      type: "object",
      default: { a: 1 },
      maximum: 1.5,
      enum: ["x", 2, null],
      required: ["spec"],
      properties: {
        spec: { type: "string", "x-kubernetes-int-or-string": true, example: "e" },
        list: { type: "array", items: { type: "integer", format: "int64" }, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] },
        tuple: { type: "array", items: [{ type: "string" }, { type: "number" }] },
      },
      additionalProperties: false,
      dependencies: { a: ["b", "c"], d: { minProperties: 1 } },
      "x-kubernetes-preserve-unknown-fields": true,
      "x-kubernetes-embedded-resource": true,
      "x-kubernetes-validations": [{ rule: "self.x > 0", message: "m" }],
    };
    const bytes = encodeMessage("apiextensions.v1.JSONSchemaProps", schema, { gogo: true });
    assert.deepEqual(decode("apiextensions.v1.JSONSchemaProps", bytes), schema);
    const ref = encodeMessage("apiextensions.v1.JSONSchemaProps", { $ref: "#/definitions/x", additionalProperties: { type: "string" } });
    assert.deepEqual(decode("apiextensions.v1.JSONSchemaProps", ref), { $ref: "#/definitions/x", additionalProperties: { type: "string" } });
    const allows = encodeMessage("apiextensions.v1.JSONSchemaProps", { additionalItems: true });
    assert.deepEqual(decode("apiextensions.v1.JSONSchemaProps", allows), { additionalItems: true });
  });

  it("a JSONSchemaPropsOrArray with nothing set is null; OrBool with nothing set is false", () => {
    // JSONSchemaProps: 24 items (*OrArray), 30 additionalProperties (*OrBool)
    assert.deepEqual(decode("apiextensions.v1.JSONSchemaProps", field(24, Buffer.alloc(0))), { items: null });
    assert.deepEqual(decode("apiextensions.v1.JSONSchemaProps", field(30, Buffer.alloc(0))), { additionalProperties: false });
  });
});

describe("bytes, maps and named slices", () => {
  it("[]byte is base64; map<string, bytes> values are base64", () => {
    const secret = new Writer()
      .lengthDelimited(2, new Writer().string(1, "b").lengthDelimited(2, Buffer.from([0, 1, 2, 255])).bytes())
      .lengthDelimited(2, new Writer().string(1, "a").lengthDelimited(2, Buffer.from("hello")).bytes())
      .lengthDelimited(2, new Writer().string(1, "empty").bytes());
    assert.deepEqual(decode("core.v1.Secret", secret), { metadata: { creationTimestamp: null }, data: { a: "aGVsbG8=", b: "AAEC/w==", empty: "" } });
    // certificates.v1.CertificateSigningRequestSpec: 1 request ([]byte, no omitempty)
    assert.equal(decode("certificates.v1.CertificateSigningRequestSpec", field(1, Buffer.from("csr"))).request, "Y3Ny");
    assert.equal(decode("certificates.v1.CertificateSigningRequestSpec", new Writer()).request, null, "a nil []byte");
  });

  it("map keys are sorted by their bytes; a later entry for the same key wins", () => {
    const entry = (k: string, v: string) => new Writer().string(1, k).string(2, v).bytes();
    const w = new Writer();
    for (const [k, v] of [["b", "1"], ["a", "1"], ["é", "1"], ["Z", "1"], ["a", "2"], ["\u{1F600}", "1"], ["\uFFFD", "1"]]) w.lengthDelimited(2, entry(k!, v!));
    const data = decode("core.v1.ConfigMap", w).data as Record<string, string>;
    assert.deepEqual(Object.keys(data), ["Z", "a", "b", "é", "\uFFFD", "\u{1F600}"]);
    assert.equal(data.a, "2");
  });

  it("a map key __proto__ is an ordinary key", () => {
    const w = new Writer().lengthDelimited(2, new Writer().string(1, "__proto__").string(2, "x").bytes());
    const data = decode("core.v1.ConfigMap", w).data as Record<string, string>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.keys(data), ["__proto__"]);
    assert.equal(Object.getOwnPropertyDescriptor(data, "__proto__")?.value, "x");
  });

  it("map<string, ExtraValue> values are string arrays", () => {
    const extra = new Writer().string(1, "scopes").lengthDelimited(2, new Writer().string(1, "a").string(1, "b").bytes()).bytes();
    // authentication.v1.UserInfo: 4 extra
    assert.deepEqual(decode("authentication.v1.UserInfo", field(4, extra)), { extra: { scopes: ["a", "b"] } });
    const empty = new Writer().string(1, "none").lengthDelimited(2, Buffer.alloc(0)).bytes();
    assert.deepEqual(decode("authentication.v1.UserInfo", field(4, empty)), { extra: { none: [] } });
  });
});
