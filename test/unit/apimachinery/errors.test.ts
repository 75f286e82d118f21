// ApiError constructors (src/apimachinery/errors.ts) produce the metav1.Status JSON upstream's
// k8s.io/apimachinery/pkg/api/errors produces, byte for byte (field order included), since clients
// print and parse it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError, errors, OPTIMISTIC_LOCK_MESSAGE, toApiError } from "../../../src/apimachinery/errors.js";
import { fieldErrors } from "../../../src/apimachinery/field-errors.js";
import { validateObjectMeta } from "../../../src/apimachinery/validation.js";

const configmaps = { group: "", resource: "configmaps" };
const deployments = { group: "apps", resource: "deployments" };
const json = (e: ApiError) => JSON.stringify(e.toStatus());

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe("Status JSON of API errors", () => {
  const cases: [string, ApiError, string][] = [
    [
      "NotFound",
      errors.notFound(configmaps, "x"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}',
    ],
    [
      "NotFound with a group",
      errors.notFound(deployments, "x"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"x\\" not found","reason":"NotFound","details":{"name":"x","group":"apps","kind":"deployments"},"code":404}',
    ],
    [
      "AlreadyExists",
      errors.alreadyExists(configmaps, "x"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"x\\" already exists","reason":"AlreadyExists","details":{"name":"x","kind":"configmaps"},"code":409}',
    ],
    [
      "Conflict",
      errors.conflict(deployments, "web", OPTIMISTIC_LOCK_MESSAGE),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \\"web\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"web","group":"apps","kind":"deployments"},"code":409}',
    ],
    [
      "Forbidden",
      errors.forbidden(configmaps, "x", 'User "bob" cannot get resource "configmaps" in API group "" in the namespace "default"'),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"x\\" is forbidden: User \\"bob\\" cannot get resource \\"configmaps\\" in API group \\"\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"name":"x","kind":"configmaps"},"code":403}',
    ],
    [
      "Forbidden without a name",
      errors.forbidden(deployments, "", 'User "bob" cannot list resource "deployments" in API group "apps" at the cluster scope'),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps is forbidden: User \\"bob\\" cannot list resource \\"deployments\\" in API group \\"apps\\" at the cluster scope","reason":"Forbidden","details":{"group":"apps","kind":"deployments"},"code":403}',
    ],
    [
      "MethodNotAllowed",
      errors.methodNotSupported({ group: "", resource: "bindings" }, "list"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"list is not supported on resources of kind \\"bindings\\"","reason":"MethodNotAllowed","details":{"kind":"bindings"},"code":405}',
    ],
    [
      "BadRequest",
      errors.badRequest("the body is bad"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the body is bad","reason":"BadRequest","code":400}',
    ],
    [
      "Expired with a continue token",
      errors.resourceExpired("too old", { continue: "abc" }),
      '{"kind":"Status","apiVersion":"v1","metadata":{"continue":"abc"},"status":"Failure","message":"too old","reason":"Expired","code":410}',
    ],
    [
      "Gone",
      errors.gone("gone"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"gone","reason":"Gone","code":410}',
    ],
    [
      "InternalError",
      errors.internal(new Error("boom")),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: boom","reason":"InternalError","details":{"causes":[{"message":"boom"}]},"code":500}',
    ],
    [
      "Timeout",
      errors.timeout("request did not complete within requested timeout - context deadline exceeded", 1),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout","details":{"retryAfterSeconds":1},"code":504}',
    ],
    [
      "TooManyRequests",
      errors.tooManyRequests("too many requests, please try again later", 5),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too many requests, please try again later","reason":"TooManyRequests","details":{"retryAfterSeconds":5},"code":429}',
    ],
    [
      "RequestEntityTooLarge",
      errors.requestEntityTooLarge("limit is 3145728"),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 3145728","reason":"RequestEntityTooLarge","code":413}',
    ],
  ];
  for (const [name, err, expected] of cases) {
    it(name, () => {
      assert.ok(err instanceof Error && err instanceof ApiError);
      assert.equal(json(err), expected);
      const status = err.toStatus();
      assert.equal(err.code, status.code);
      assert.equal(err.message, status.message);
    });
  }

  it("ServerTimeout names the operation in details.name, as upstream's NewServerTimeout", () => {
    assert.equal(
      json(errors.serverTimeout(configmaps, "create", 2)),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The create operation against configmaps could not be completed at this time, please try again.","reason":"ServerTimeout","details":{"name":"create","kind":"configmaps","retryAfterSeconds":2},"code":500}',
    );
  });

  it("retryAfterSeconds is exposed for the Retry-After header", () => {
    assert.equal(errors.tooManyRequests("slow down", 7).retryAfterSeconds, 7);
    assert.equal(errors.notFound(configmaps, "x").retryAfterSeconds, undefined);
  });
});

describe("Invalid (422)", () => {
  it("carries each field error as a cause and the aggregated message", () => {
    const errs = validateObjectMeta({ name: "Bad_Name", namespace: "default" }, true, "DNS1123Subdomain");
    assert.equal(
      json(errors.invalid({ group: "", kind: "ConfigMap" }, "Bad_Name", errs)),
      `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \\"Bad_Name\\" is invalid: metadata.name: Invalid value: \\"Bad_Name\\": ${SUBDOMAIN_MSG}","reason":"Invalid","details":{"name":"Bad_Name","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \\"Bad_Name\\": ${SUBDOMAIN_MSG}","field":"metadata.name"}]},"code":422}`,
    );
  });

  it("aggregates several errors in brackets, dropping duplicates, with the group in the kind", () => {
    const err = errors.invalid({ group: "apps", kind: "Deployment" }, "web", [
      fieldErrors.invalid("spec.replicas", -1, "must be greater than or equal to 0"),
      fieldErrors.required("spec.selector", ""),
      fieldErrors.required("spec.selector", ""),
    ]);
    assert.equal(err.message, 'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]');
    assert.deepEqual(err.details, {
      name: "web",
      group: "apps",
      kind: "Deployment",
      causes: [
        { reason: "FieldValueInvalid", message: "Invalid value: -1: must be greater than or equal to 0", field: "spec.replicas" },
        { reason: "FieldValueRequired", message: "Required value", field: "spec.selector" },
        { reason: "FieldValueRequired", message: "Required value", field: "spec.selector" },
      ],
    });
    assert.deepEqual([err.code, err.reason], [422, "Invalid"]);
  });

  it("with no field errors: just \"is invalid\" and no causes", () => {
    assert.equal(
      json(errors.invalid({ group: "", kind: "ConfigMap" }, "x", [])),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \\"x\\" is invalid","reason":"Invalid","details":{"name":"x","kind":"ConfigMap"},"code":422}',
    );
  });
});

describe("toApiError", () => {
  it("passes ApiErrors through and wraps anything else as InternalError", () => {
    const nf = errors.notFound(configmaps, "x");
    assert.equal(toApiError(nf), nf);
    const wrapped = toApiError(new TypeError("x is undefined"));
    assert.deepEqual([wrapped.code, wrapped.reason, wrapped.message], [500, "InternalError", "Internal error occurred: x is undefined"]);
    assert.equal(toApiError("plain string").message, "Internal error occurred: plain string");
  });
});
