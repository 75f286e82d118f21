// Continue tokens (src/storage/continue-token.ts) in upstream's format (storage/continue.go):
// base64url without padding of {"v":"meta.k8s.io/v1","rv":N,"start":"<key relative to the prefix>\0"};
// anything malformed is a 400 "continue key is not valid".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../../src/apimachinery/errors.js";
import { decodeContinue, encodeContinue } from "../../../src/storage/continue-token.js";

const b64 = (s: string) => Buffer.from(s).toString("base64url");

function badRequest(message: string | RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.code, 400);
    assert.equal(err.reason, "BadRequest");
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  };
}

describe("continue tokens", () => {
  it("encode upstream's JSON as unpadded base64url, starting just after the last key", () => {
    const token = encodeContinue(42, "default/cm-1");
    assert.doesNotMatch(token, /[=+/]/);
    assert.equal(Buffer.from(token, "base64url").toString(), '{"v":"meta.k8s.io/v1","rv":42,"start":"default/cm-1\\u0000"}');
  });

  it("round-trip, including rv -1 (continue at the latest revision) and non-ASCII keys", () => {
    for (const [rv, key] of [[42, "default/cm-1"], [-1, "x"], [7, "ns/ünïcode"]] as const) {
      assert.deepEqual(decodeContinue(encodeContinue(rv, key)), { rv, start: `${key}\u0000` });
    }
  });

  it("decode a token produced by upstream", () => {
    // what kube-apiserver returns for a list of configmaps in "default" cut after "a"
    const upstream = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzNCwic3RhcnQiOiJkZWZhdWx0L2FcdTAwMDAifQ";
    assert.deepEqual(decodeContinue(upstream), { rv: 1234, start: "default/a\u0000" });
  });

  // [what, token, upstream's message (apiserver storage/continue.go + "invalid continue token: ")]
  const P = "invalid continue token: continue key is not valid";
  const cases: [string, string, string][] = [
    ["not base64 at all", "%%%", `${P}: illegal base64 data at input byte 0`],
    ["base64 of something that is not JSON", b64("hello"), `${P}: invalid character 'h' looking for beginning of value`],
    ["an unknown version", b64('{"v":"meta.k8s.io/v2","rv":1,"start":"a"}'), `${P}: server does not recognize this encoded version meta.k8s.io/v2`],
    ["an empty start key", b64('{"v":"meta.k8s.io/v1","rv":1,"start":""}'), `${P}: encoded start key empty (version meta.k8s.io/v1)`],
    ["no rv", b64('{"v":"meta.k8s.io/v1","start":"a"}'), `${P}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`],
    ["a parent-directory start key", b64('{"v":"meta.k8s.io/v1","rv":1,"start":"../secrets/x"}'), `${P}: ../secrets/x`],
    ["a traversal inside the start key", b64('{"v":"meta.k8s.io/v1","rv":1,"start":"a/../../b"}'), `${P}: a/../../b`],
  ];
  for (const [what, token] of [...cases, ["a string rv", b64('{"v":"meta.k8s.io/v1","rv":"5","start":"a"}')], ["no version", b64('{"rv":1,"start":"a"}')]]) {
    it(`reject ${what} with 400 BadRequest`, () => {
      assert.throws(() => decodeContinue(token!), badRequest(/continue key is not valid/));
    });
  }

  it(
    "reject malformed tokens with upstream's messages",
    () => {
      for (const [, token, message] of cases) assert.throws(() => decodeContinue(token), badRequest(message));
    },
  );

  it(
    "reject rv 0 as upstream does (ErrInvalidStartRV)",
    () => {
      assert.throws(() => decodeContinue(b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a\\u0000"}')), badRequest(/incorrect encoded start resourceVersion/));
    },
  );
});
