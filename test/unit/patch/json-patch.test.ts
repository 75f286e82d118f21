// JSON patch (RFC 6902) as the API server applies it (upstream uses gopkg.in/evanphx/json-patch.v4):
// add / remove / replace / move / copy / test, "/-", "~0" / "~1" escapes, a failing operation as a
// generic 422 Invalid, decoding errors as 400, the operation cap as 413. Documents and operations
// are deep-frozen before applying.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS, parseJsonPatch } from "../../../src/endpoints/patch/json-patch.js";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { assertApiError, deepFreeze, frozenInside, type ExpectedError } from "./helpers.js";

const GENERIC_422: ExpectedError = { code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request" };

function doc() {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", generation: 1, labels: { app: "web", tier: "fe" }, annotations: { "a~b": "tilde" }, finalizers: ["f1", "f2"] },
    spec: {
      containers: [
        { name: "web", image: "w:1", args: ["--a", "--b"] },
        { name: "side", image: "s:1" },
      ],
    },
  };
}
type Doc = ReturnType<typeof doc>;
const edit = (f: (d: Doc) => void) => {
  const d = doc();
  f(d);
  return d;
};

interface Case {
  name: string;
  ops: unknown[];
  expected?: unknown;
  error?: ExpectedError;
  todo?: string;
}

const cases: Case[] = [
  {
    name: "add an object member",
    ops: [{ op: "add", path: "/metadata/labels/track", value: "stable" }],
    expected: edit((d) => ((d.metadata.labels as Record<string, string>).track = "stable")),
  },
  {
    name: "add a new nested object",
    ops: [{ op: "add", path: "/spec/securityContext", value: { runAsNonRoot: true } }],
    expected: edit((d) => ((d.spec as Record<string, unknown>).securityContext = { runAsNonRoot: true })),
  },
  {
    name: "add at an array index inserts and shifts",
    ops: [{ op: "add", path: "/spec/containers/1", value: { name: "init-like", image: "i" } }],
    expected: edit((d) => d.spec.containers.splice(1, 0, { name: "init-like", image: "i" })),
  },
  {
    name: "add with /- appends to the array",
    ops: [{ op: "add", path: "/metadata/finalizers/-", value: "f3" }],
    expected: edit((d) => d.metadata.finalizers.push("f3")),
  },
  {
    name: "add at index == length appends",
    ops: [{ op: "add", path: "/spec/containers/0/args/2", value: "--c" }],
    expected: edit((d) => d.spec.containers[0]!.args!.push("--c")),
  },
  {
    name: "add on an existing member replaces its value",
    ops: [{ op: "add", path: "/metadata/labels/app", value: "api" }],
    expected: edit((d) => (d.metadata.labels.app = "api")),
  },
  {
    name: "remove an object member",
    ops: [{ op: "remove", path: "/metadata/labels/tier" }],
    expected: edit((d) => delete (d.metadata.labels as Record<string, string>).tier),
  },
  {
    name: "remove an array element shifts the rest",
    ops: [{ op: "remove", path: "/spec/containers/0" }],
    expected: edit((d) => d.spec.containers.splice(0, 1)),
  },
  {
    name: "remove a whole list (finalizers)",
    ops: [{ op: "remove", path: "/metadata/finalizers" }],
    expected: edit((d) => delete (d.metadata as Record<string, unknown>).finalizers),
  },
  {
    name: "replace a member",
    ops: [{ op: "replace", path: "/spec/containers/1/image", value: "s:2" }],
    expected: edit((d) => (d.spec.containers[1]!.image = "s:2")),
  },
  {
    name: "replace an array element",
    ops: [{ op: "replace", path: "/metadata/finalizers/0", value: "f0" }],
    expected: edit((d) => (d.metadata.finalizers[0] = "f0")),
  },
  {
    name: "replace the whole document",
    ops: [{ op: "replace", path: "", value: { kind: "Pod", apiVersion: "v1" } }],
    expected: { kind: "Pod", apiVersion: "v1" },
  },
  {
    name: "move renames a label",
    ops: [{ op: "move", from: "/metadata/labels/tier", path: "/metadata/labels/layer" }],
    expected: edit((d) => {
      const labels = d.metadata.labels as Record<string, string>;
      delete labels.tier;
      labels.layer = "fe";
    }),
  },
  {
    name: "move reorders array elements",
    ops: [{ op: "move", from: "/spec/containers/1", path: "/spec/containers/0" }],
    expected: edit((d) => d.spec.containers.reverse()),
  },
  {
    name: "copy duplicates a value",
    ops: [{ op: "copy", from: "/metadata/labels/app", path: "/metadata/labels/name" }],
    expected: edit((d) => ((d.metadata.labels as Record<string, string>).name = "web")),
  },
  {
    name: "copy an array element to the end with /-",
    ops: [{ op: "copy", from: "/spec/containers/0/args/0", path: "/spec/containers/0/args/-" }],
    expected: edit((d) => d.spec.containers[0]!.args!.push("--a")),
  },
  {
    name: "test that passes lets the next operations apply (optimistic guard)",
    ops: [
      { op: "test", path: "/spec/containers/0/image", value: "w:1" },
      { op: "test", path: "/metadata/labels", value: { tier: "fe", app: "web" } },
      { op: "replace", path: "/spec/containers/0/image", value: "w:2" },
    ],
    expected: edit((d) => (d.spec.containers[0]!.image = "w:2")),
  },
  {
    name: "~1 escapes a slash in a key (rollout restart annotation)",
    ops: [{ op: "add", path: "/metadata/annotations/kubectl.kubernetes.io~1restartedAt", value: "2025-03-04T05:06:07Z" }],
    expected: edit((d) => ((d.metadata.annotations as Record<string, string>)["kubectl.kubernetes.io/restartedAt"] = "2025-03-04T05:06:07Z")),
  },
  {
    name: "~0 escapes a tilde in a key",
    ops: [{ op: "replace", path: "/metadata/annotations/a~0b", value: "still tilde" }],
    expected: edit((d) => (d.metadata.annotations["a~b"] = "still tilde")),
  },
  {
    name: "~01 is a literal ~1, not a slash",
    ops: [{ op: "add", path: "/metadata/annotations/x~01y", value: "v" }],
    expected: edit((d) => ((d.metadata.annotations as Record<string, string>)["x~1y"] = "v")),
  },
  {
    name: "operations apply in order, each seeing the previous ones' result",
    ops: [
      { op: "remove", path: "/spec/containers/0" },
      { op: "replace", path: "/spec/containers/0/image", value: "s:2" },
    ],
    expected: edit((d) => {
      d.spec.containers.splice(0, 1);
      d.spec.containers[0]!.image = "s:2";
    }),
  },
  {
    name: "a later operation may edit inside a value an earlier operation added",
    ops: [
      { op: "add", path: "/spec/nodeSelector", value: { "kubernetes.io/os": "linux" } },
      { op: "add", path: "/spec/nodeSelector/zone", value: "eu-1a" },
    ],
    expected: edit((d) => ((d.spec as Record<string, unknown>).nodeSelector = { "kubernetes.io/os": "linux", zone: "eu-1a" })),
  },
  {
    name: "replace of an object member that does not exist adds it (json-patch.v4 behaviour)",
    ops: [{ op: "replace", path: "/metadata/labels/track", value: "canary" }],
    expected: edit((d) => ((d.metadata.labels as Record<string, string>).track = "canary")),
  },
  {
    name: "test with value null passes for a member that does not exist (json-patch.v4 behaviour)",
    ops: [
      { op: "test", path: "/metadata/labels/track", value: null },
      { op: "add", path: "/metadata/labels/track", value: "canary" },
    ],
    expected: edit((d) => ((d.metadata.labels as Record<string, string>).track = "canary")),
  },
  { name: "a failing test is a generic 422 Invalid", ops: [{ op: "test", path: "/spec/containers/0/image", value: "w:0" }], error: GENERIC_422 },
  { name: "test compares JSON types: the string \"1\" is not the number 1", ops: [{ op: "test", path: "/metadata/generation", value: "1" }], error: GENERIC_422 },
  { name: "remove of a missing member is a 422", ops: [{ op: "remove", path: "/metadata/labels/nope" }], error: GENERIC_422 },
  { name: "remove past the end of an array is a 422", ops: [{ op: "remove", path: "/spec/containers/5" }], error: GENERIC_422 },
  { name: "replace past the end of an array is a 422", ops: [{ op: "replace", path: "/metadata/finalizers/2", value: "x" }], error: GENERIC_422 },
  { name: "add under a missing parent is a 422", ops: [{ op: "add", path: "/spec/nope/deeper", value: 1 }], error: GENERIC_422 },
  { name: "add beyond the end of an array is a 422", ops: [{ op: "add", path: "/metadata/finalizers/5", value: "x" }], error: GENERIC_422 },
  { name: "move from a missing member is a 422", ops: [{ op: "move", from: "/metadata/nope", path: "/metadata/other" }], error: GENERIC_422 },
  { name: "an unknown op is a 422", ops: [{ op: "merge", path: "/metadata", value: {} }], error: GENERIC_422 },
  {
    name: "a failure after successful operations fails the whole patch",
    ops: [
      { op: "replace", path: "/spec/containers/0/image", value: "w:2" },
      { op: "test", path: "/metadata/name", value: "other" },
    ],
    error: GENERIC_422,
  },
];

for (const c of cases) {
  test(`json patch: ${c.name}`, c.todo ? { todo: c.todo } : {}, () => {
    const original = deepFreeze(doc());
    const ops = deepFreeze(c.ops);
    const before = { original: JSON.stringify(original), ops: JSON.stringify(ops) };
    const run = () => applyJsonPatch(original, parseJsonPatch(ops));
    if (c.error) assertApiError(run, c.error);
    else assert.deepEqual(run(), c.expected);
    assert.equal(JSON.stringify(original), before.original, "document must not change");
    assert.equal(JSON.stringify(ops), before.ops, "operations must not change");
  });
}

test("json patch: the 422 of a failed operation carries empty details, like upstream's generic server response", () => {
  try {
    applyJsonPatch(doc(), parseJsonPatch([{ op: "test", path: "/kind", value: "Node" }]));
    assert.fail("expected an error");
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.deepEqual(err.toStatus(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server rejected our request due to an error in our request",
      reason: "Invalid",
      details: {},
      code: 422,
    });
  }
});

interface DecodeCase {
  name: string;
  body: unknown;
  error: ExpectedError;
  todo?: string;
}

const decodeCases: DecodeCase[] = [
  {
    name: "an object instead of a list is a 400",
    body: { op: "add", path: "/a", value: 1 },
    error: { code: 400, reason: "BadRequest", message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch" },
  },
  {
    name: "a string instead of a list is a 400 naming the JSON type",
    body: "add /a",
    error: { code: 400, reason: "BadRequest", message: "json: cannot unmarshal string into Go value of type jsonpatch.Patch" },
  },
  {
    name: "an operation that is not an object is a 400",
    body: [1],
    error: { code: 400, reason: "BadRequest", message: "json: cannot unmarshal number into Go value of type jsonpatch.Operation" },
  },
  {
    name: `more than ${MAX_JSON_PATCH_OPERATIONS} operations is a 413`,
    body: Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: "test", path: "/kind", value: "Pod" })),
    error: {
      code: 413,
      reason: "RequestEntityTooLarge",
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${MAX_JSON_PATCH_OPERATIONS + 1}`,
    },
  },
];

for (const c of decodeCases) {
  test(`json patch decoding: ${c.name}`, c.todo ? { todo: c.todo } : {}, () => {
    assertApiError(() => parseJsonPatch(deepFreeze(c.body)), c.error);
  });
}

test(`json patch decoding: exactly ${MAX_JSON_PATCH_OPERATIONS} operations are accepted`, () => {
  const ops = parseJsonPatch(Array.from({ length: MAX_JSON_PATCH_OPERATIONS }, () => ({ op: "test", path: "/kind", value: "Pod" })));
  assert.deepEqual(applyJsonPatch(doc(), ops), doc());
});

test("json patch: the same operations applied twice (a retry after a conflict) give the same result", () => {
  const ops = parseJsonPatch([
    { op: "add", path: "/spec/securityContext", value: { runAsUser: 1000, runAsGroup: 3000 } },
    { op: "remove", path: "/spec/securityContext/runAsGroup" },
  ]);
  const first = applyJsonPatch(doc(), ops);
  const second = applyJsonPatch(doc(), ops);
  assert.deepEqual(second, first);
});

test("json patch: the result shares no object with the operations", () => {
  const ops = deepFreeze(parseJsonPatch([{ op: "add", path: "/spec/securityContext", value: { runAsUser: 1000 } }]));
  assert.deepEqual(frozenInside(applyJsonPatch(doc(), ops)), []);
});
