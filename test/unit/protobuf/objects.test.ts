// Typed messages → the JSON object model, as Go's encoding/json renders the object the message
// unmarshals into: omitempty and pointers, zero values, inlined embedded structs, field order,
// unknown fields, merging of repeated occurrences, packed repeated scalars, the envelope and the
// kind lookup.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { describe, it } from "node:test";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { decodeEnvelope, decodeProtobufMessage, decodeProtobufObject, protobufMessageFor } from "../../../src/protobuf/index.js";
import { KINDS, MESSAGES } from "../../../src/protobuf/messages.js";
import { encodeMessage, encodeObject, envelope, Writer } from "./encoder.js";

const decode = (type: string, w: Writer | Buffer) => decodeProtobufMessage(type, Buffer.isBuffer(w) ? w : w.bytes());

describe("JSON form of decoded messages", () => {
  it("absent non-pointer fields without omitempty take their zero value; absent pointers are null", () => {
    // What kubectl's JSON carries for the reviews: "status":{"allowed":false}, "boundObjectRef":null
    assert.deepEqual(decode("authorization.v1.SubjectAccessReviewStatus", new Writer()), { allowed: false });
    assert.deepEqual(decode("authentication.v1.TokenRequestSpec", new Writer()), { audiences: null, expirationSeconds: null, boundObjectRef: null });
    assert.deepEqual(decode("authentication.v1.TokenRequestStatus", new Writer()), { token: "", expirationTimestamp: null });
    assert.deepEqual(decode("core.v1.Container", new Writer()), { name: "", resources: {} });
  });

  it("non-pointer omitempty fields are left out when zero even though gogo writes them", () => {
    const spec = new Writer()
      .tag(11, 0)
      .varint(0) // hostNetwork false
      .string(3, "") // restartPolicy ""
      .tag(4, 0)
      .varint(0) // terminationGracePeriodSeconds (*int64) = 0: kept
      .tag(21, 0)
      .varint(0); // automountServiceAccountToken (*bool) = false: kept
    assert.deepEqual(decode("core.v1.PodSpec", spec), { containers: null, terminationGracePeriodSeconds: 0, automountServiceAccountToken: false });
    assert.deepEqual(decode("apps.v1.DeploymentSpec", new Writer().tag(1, 0).varint(0)), {
      replicas: 0,
      selector: null,
      template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      strategy: {},
    });
  });

  it("fields come in Go declaration order, not field-number order", () => {
    // Container: env = 7, envFrom = 19; Go declares EnvFrom before Env
    const c = encodeMessage("core.v1.Container", { name: "c", env: [{ name: "A", value: "1" }], envFrom: [{ prefix: "P_" }], image: "nginx" });
    assert.deepEqual(Object.keys(decode("core.v1.Container", c)), ["name", "image", "envFrom", "env", "resources"]);
  });

  it("inlines embedded structs (Volume.VolumeSource, Probe.ProbeHandler, IngressRule.IngressRuleValue)", () => {
    const volume = { name: "cfg", configMap: { name: "app", defaultMode: 420, items: [{ key: "k", path: "p" }] } };
    assert.deepEqual(decode("core.v1.Volume", encodeMessage("core.v1.Volume", volume, { gogo: true })), volume);
    const probe = { httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" }, initialDelaySeconds: 3 };
    assert.deepEqual(decode("core.v1.Probe", encodeMessage("core.v1.Probe", probe)), probe);
    const rule = { host: "foo.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "s", port: { number: 80 } } } }] } };
    assert.deepEqual(decode("networking.v1.IngressRule", encodeMessage("networking.v1.IngressRule", rule, { gogo: true })), rule);
  });

  it("skips unknown fields at every level", () => {
    const meta = new Writer().string(1, "x").string(999, "future").tag(1000, 0).varint(5).bytes();
    const cm = new Writer().lengthDelimited(1, meta).tag(77, 1).raw(Buffer.alloc(8)).lengthDelimited(2, new Writer().string(1, "k").string(2, "v").string(3, "?").bytes());
    assert.deepEqual(decode("core.v1.ConfigMap", cm), { metadata: { name: "x", creationTimestamp: null }, data: { k: "v" } });
  });

  it("merges repeated occurrences of a message field; the last scalar wins; repeated fields append", () => {
    const w = new Writer()
      .lengthDelimited(1, new Writer().string(1, "first").string(3, "ns").bytes())
      .lengthDelimited(1, new Writer().string(1, "second").string(14, "f1").bytes())
      .lengthDelimited(1, new Writer().string(14, "f2").bytes());
    assert.deepEqual(decode("core.v1.ConfigMap", w).metadata, { name: "second", namespace: "ns", creationTimestamp: null, finalizers: ["f1", "f2"] });
  });

  it("reads repeated scalars packed and unpacked", () => {
    // batch.v1.PodFailurePolicyOnExitCodesRequirement: 3 values (repeated int32)
    const packed = new Writer().varint(1).varint(2).varint(-3).bytes();
    const w = new Writer().string(1, "main").string(2, "In").lengthDelimited(3, packed).tag(3, 0).varint(42);
    assert.deepEqual(decode("batch.v1.PodFailurePolicyOnExitCodesRequirement", w), { containerName: "main", operator: "In", values: [1, 2, -3, 42] });
  });

  it("reads negative int32 fields sent as 10-byte varints and large int64 fields", () => {
    const port = new Writer().tag(3, 0).varint(-1).bytes(); // ContainerPort.containerPort
    assert.equal(decode("core.v1.ContainerPort", port).containerPort, -1);
    const meta = new Writer().tag(7, 0).varint(2 ** 40).tag(10, 0).varint(-30).bytes(); // generation, deletionGracePeriodSeconds
    const m = decode("meta.v1.ObjectMeta", meta);
    assert.equal(m.generation, 2 ** 40);
    assert.equal(m.deletionGracePeriodSeconds, -30);
  });

  it("decodes doubles and rejects NaN/Inf like encoding/json", () => {
    const d = new Writer().fixed64(9, 2.5).bytes(); // JSONSchemaProps.maximum
    assert.deepEqual(decode("apiextensions.v1.JSONSchemaProps", d), { maximum: 2.5 });
    assert.throws(() => decode("apiextensions.v1.JSONSchemaProps", new Writer().fixed64(9, NaN)), /json: unsupported value: NaN/);
  });

  it("replaces invalid UTF-8 in strings", () => {
    const meta = new Writer().lengthDelimited(1, Buffer.from([0x61, 0xff, 0x62])).bytes();
    assert.equal(decode("meta.v1.ObjectMeta", meta).name, "a\uFFFDb");
  });
});

describe("envelope and kinds", () => {
  it("reads typeMeta, raw, contentEncoding and contentType", () => {
    const body = envelope("apps/v1", "Deployment", Buffer.from([1, 2, 3]));
    const env = decodeEnvelope(body);
    assert.equal(env.apiVersion, "apps/v1");
    assert.equal(env.kind, "Deployment");
    assert.deepEqual([...env.raw], [1, 2, 3]);
    assert.equal(env.contentEncoding, "");
    assert.equal(env.contentType, "");
  });

  it("returns kind and apiVersion first, from the envelope", () => {
    const body = encodeObject("core.v1.ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "b" } });
    const obj = decodeProtobufObject(body, { apiVersion: "v1", kind: "ConfigMap" });
    assert.deepEqual(Object.keys(obj), ["kind", "apiVersion", "metadata", "data"]);
    assert.deepEqual(obj, { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "x", creationTimestamp: null }, data: { a: "b" } });
  });

  it("defaults an empty typeMeta from the endpoint's kind", () => {
    const raw = encodeMessage("core.v1.Namespace", { metadata: { name: "n" } });
    const obj = decodeProtobufObject(envelope("", "", raw), { apiVersion: "v1", kind: "Namespace" });
    assert.equal(obj.kind, "Namespace");
    assert.equal(obj.apiVersion, "v1");
    assert.equal(obj.metadata.name, "n");
    const noTypeMeta = Buffer.concat([Buffer.from("k8s\0", "latin1"), new Writer().lengthDelimited(2, raw).bytes()]);
    assert.equal(decodeProtobufObject(noTypeMeta, { apiVersion: "v1", kind: "Namespace" }).kind, "Namespace");
  });

  it("decodes the kind the envelope names (the caller checks it against the endpoint)", () => {
    const body = encodeObject("core.v1.Secret", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "Opaque" });
    const obj = decodeProtobufObject(body, { apiVersion: "v1", kind: "ConfigMap" });
    assert.equal(obj.kind, "Secret");
    assert.equal(obj.type, "Opaque");
  });

  it("knows DeleteOptions and the other option kinds in every group version, and Eviction", () => {
    assert.equal(protobufMessageFor("apps/v1", "DeleteOptions"), "meta.v1.DeleteOptions");
    assert.equal(protobufMessageFor("v1", "DeleteOptions"), "meta.v1.DeleteOptions");
    assert.equal(protobufMessageFor("example.com/v1", "DeleteOptions"), undefined, "not for custom resources");
    const opts = { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, propagationPolicy: "Foreground", preconditions: { uid: "u" } };
    assert.deepEqual(decodeProtobufObject(encodeObject("meta.v1.DeleteOptions", opts), { apiVersion: "v1", kind: "DeleteOptions" }), opts);
    const eviction = {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: "p", namespace: "default", creationTimestamp: null },
      deleteOptions: { gracePeriodSeconds: 30 },
    };
    assert.deepEqual(decodeProtobufObject(encodeObject("policy.v1.Eviction", eviction), { apiVersion: "policy/v1", kind: "Eviction" }), eviction);
  });

  it("decodes the DeleteOptions kubectl 1.33 sends when drain deletes a pod (recorded)", () => {
    // kubectl 1.33.1 `drain --disable-eviction --grace-period=0`: DELETE .../pods/<name>; 1.31 sends the JSON below
    const body = Buffer.from("6b3873000a130a027631120d44656c6574654f7074696f6e73120208001a002200", "hex");
    const obj = decodeProtobufObject(body, { apiVersion: "meta.k8s.io/v1", kind: "DeleteOptions" });
    assert.equal(JSON.stringify(obj), '{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0}');
  });

  it("has a message for every kind kubectl's typed clients write", () => {
    const kinds: [string, string][] = [
      ["v1", "ConfigMap"],
      ["v1", "Secret"],
      ["v1", "Namespace"],
      ["v1", "ServiceAccount"],
      ["v1", "Service"],
      ["v1", "ResourceQuota"],
      ["apps/v1", "Deployment"],
      ["batch/v1", "Job"],
      ["batch/v1", "CronJob"],
      ["rbac.authorization.k8s.io/v1", "Role"],
      ["rbac.authorization.k8s.io/v1", "ClusterRole"],
      ["rbac.authorization.k8s.io/v1", "RoleBinding"],
      ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
      ["scheduling.k8s.io/v1", "PriorityClass"],
      ["policy/v1", "PodDisruptionBudget"],
      ["policy/v1", "Eviction"],
      ["networking.k8s.io/v1", "Ingress"],
      ["authentication.k8s.io/v1", "TokenRequest"],
      ["authentication.k8s.io/v1", "TokenReview"],
      ["authentication.k8s.io/v1", "SelfSubjectReview"],
      ["authentication.k8s.io/v1beta1", "SelfSubjectReview"],
      ["authorization.k8s.io/v1", "SelfSubjectAccessReview"],
      ["authorization.k8s.io/v1", "SelfSubjectRulesReview"],
      ["authorization.k8s.io/v1", "SubjectAccessReview"],
      ["authorization.k8s.io/v1", "LocalSubjectAccessReview"],
      ["certificates.k8s.io/v1", "CertificateSigningRequest"],
      ["apiextensions.k8s.io/v1", "CustomResourceDefinition"],
      ["autoscaling/v1", "Scale"],
    ];
    for (const [gv, kind] of kinds) assert.ok(protobufMessageFor(gv, kind), `${gv} ${kind}`);
  });

  it("the table is closed: every referenced message exists, every kind maps to a message", () => {
    const scalars = new Set(["string", "bytes", "int32", "int64", "uint32", "uint64", "bool", "double", "float", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"]);
    for (const [name, entry] of Object.entries(MESSAGES)) {
      if (typeof entry === "string") {
        if (entry.startsWith("items:")) assert.ok(scalars.has(entry.slice(6)) || MESSAGES[entry.slice(6)], `${name}: ${entry}`);
        continue;
      }
      const numbers = new Set<number>();
      for (const [num, json, type, flags] of entry) {
        assert.ok(scalars.has(type) || MESSAGES[type] !== undefined, `${name}.${json}: ${type}`);
        assert.ok(!numbers.has(num), `${name}: field ${num} twice`);
        numbers.add(num);
        assert.match(flags, /^r?m?o?p?i?$/, `${name}.${json}: flags ${flags}`);
        assert.equal(json === "", flags.includes("i"), `${name}.${num}: only inlined fields have no JSON name`);
      }
    }
    for (const [gv, kinds] of Object.entries(KINDS)) for (const [kind, msg] of Object.entries(kinds)) assert.ok(MESSAGES[msg], `${gv} ${kind} → ${msg}`);
  });
});

describe("malformed bodies are 400 BadRequest", () => {
  const expected = { apiVersion: "v1", kind: "ConfigMap" };
  const status = (body: Buffer) => {
    try {
      decodeProtobufObject(body, expected);
    } catch (err) {
      assert.ok(err instanceof ApiError, `an ApiError, not ${String(err)}`);
      assert.equal(err.code, 400);
      assert.equal(err.reason, "BadRequest");
      return err.message;
    }
    assert.fail("decoded without an error");
  };
  const cm = encodeObject("core.v1.ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "b" } });

  it("a body without the magic prefix, an empty one, or the magic alone", () => {
    assert.equal(
      status(Buffer.from('{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"}}')),
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap","apiVersio ...)',
    );
    assert.equal(
      status(Buffer.from([1, 2, 3])),
      "the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (010203)",
    );
    assert.match(status(Buffer.alloc(0)), /: empty data \(<empty>\)$/);
    assert.match(status(Buffer.from("k8s\0", "latin1")), /: empty body \(6b387300\)$/);
  });

  it("a truncated envelope or typed message", () => {
    assert.match(status(cm.subarray(0, 10)), /^the object provided is unrecognized \(must be of type ConfigMap\): unexpected EOF/);
    const raw = encodeMessage("core.v1.ConfigMap", { metadata: { name: "x" } });
    assert.equal(status(envelope("v1", "ConfigMap", raw.subarray(0, raw.length - 1))), 'ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF');
    // an unknown field 100 holding a truncated / an 11-byte varint
    assert.match(status(envelope("v1", "ConfigMap", Buffer.from([0xa0, 0x06, 0x80]))), /unexpected EOF$/, "truncated varint");
    assert.match(status(envelope("v1", "ConfigMap", Buffer.from([0xa0, 0x06, ...Array(10).fill(0xff), 0x01]))), /proto: integer overflow$/);
  });

  it("a wrong wire type", () => {
    // ConfigMap.metadata (1) sent as a varint
    assert.equal(status(envelope("v1", "ConfigMap", Buffer.from([0x08, 0x01]))), 'ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field metadata');
    // ObjectMeta.generation (7) sent length-delimited
    const meta = new Writer().lengthDelimited(1, new Writer().string(7, "x").bytes()).bytes();
    assert.match(status(envelope("v1", "ConfigMap", meta)), /proto: wrong wireType = 2 for field generation$/);
    assert.match(status(Buffer.concat([Buffer.from("k8s\0", "latin1"), Buffer.from([0x08, 0x01])])), /wrong wireType = 0 for field TypeMeta/);
  });

  it("illegal tags and wire types", () => {
    assert.match(status(envelope("v1", "ConfigMap", Buffer.from([0x00]))), /proto: ConfigMap: illegal tag 0/);
    assert.match(status(envelope("v1", "ConfigMap", Buffer.from([0xa7, 0x06]))), /proto: illegal wireType 7/);
    assert.match(status(envelope("v1", "ConfigMap", Buffer.from([0x0f]))), /proto: wrong wireType = 7 for field metadata/);
  });

  it("a kind the group version does not have", () => {
    assert.match(status(envelope("v1", "Deployment", Buffer.alloc(0))), /^Deployment in version "v1" cannot be handled as a ConfigMap: no kind "Deployment" is registered for version "v1"/);
    assert.match(status(envelope("example.com/v1", "Widget", Buffer.alloc(0))), /no kind "Widget" is registered for version "example.com\/v1"/);
  });

  it("messages nested beyond the depth limit", () => {
    // JSONSchemaProps.not (28) nested 2000 deep inside a CRD's schema
    let schema: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 2000; i++) schema = new Writer().lengthDelimited(28, schema).bytes();
    // CustomResourceDefinition.spec (2) → versions (7) → schema (4) → openAPIV3Schema (1)
    const validation = new Writer().lengthDelimited(1, schema).bytes();
    const crd = new Writer().lengthDelimited(2, new Writer().lengthDelimited(7, new Writer().lengthDelimited(4, validation).bytes()).bytes()).bytes();
    let message = "";
    try {
      decodeProtobufObject(envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd), { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" });
    } catch (err) {
      assert.ok(err instanceof ApiError && err.code === 400);
      message = err.message;
    }
    assert.match(message, /maximum nesting depth/);
  });

  it("never anything but a 400 for corrupted or truncated real bodies", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const deployment = encodeObject("apps.v1.Deployment", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { app: "web" } },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx", ports: [{ containerPort: 80 }] }] } } },
    });
    for (const body of [cm, deployment]) {
      for (let len = 0; len < body.length; len++) {
        try {
          decodeProtobufObject(body.subarray(0, len), expected);
        } catch (err) {
          assert.ok(err instanceof ApiError && err.code === 400, `truncated to ${len}: ${String(err)}`);
        }
      }
      for (let i = 0; i < 3000; i++) {
        const b = Buffer.from(body);
        for (let k = 0; k <= rand(3); k++) b[4 + rand(b.length - 4)] = rand(256);
        try {
          const obj = decodeProtobufObject(b, expected);
          JSON.stringify(obj);
        } catch (err) {
          assert.ok(err instanceof ApiError && err.code === 400, `mutation ${b.toString("hex")}: ${String(err)}`);
        }
      }
    }
  });
});
