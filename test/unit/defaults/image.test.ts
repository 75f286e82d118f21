// imagePullPolicy defaulting: Always for ":latest" or no tag (and no digest), IfNotPresent for any
// other tag, a digest, or a reference that does not parse (upstream ignores the parse error).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPullPolicy, parseImageReference } from "../../../src/registry/defaults/image.js";
import { defaultContainer } from "../../../src/registry/defaults/pod-spec.js";

const SHA = "sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5";

describe("imagePullPolicy by tag and digest", () => {
  const cases: [unknown, "Always" | "IfNotPresent"][] = [
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.25", "IfNotPresent"],
    ["nginx:LATEST", "IfNotPresent"],
    ["nginx:latest-alpine", "IfNotPresent"],
    [`nginx@${SHA}`, "IfNotPresent"],
    [`nginx:1.25@${SHA}`, "IfNotPresent"],
    [`nginx:latest@${SHA}`, "Always"],
    ["nginx:latest@sha256:abc", "IfNotPresent"], // digest too short: invalid reference
    [`nginx:latest@sha256:${"a".repeat(40)}`, "IfNotPresent"], // wrong length for sha256
    [`nginx:latest@${SHA.toUpperCase().replace("SHA256", "sha256")}`, "IfNotPresent"], // upper-case hex
    [`nginx:latest@md5:${"a".repeat(32)}`, "IfNotPresent"], // unknown algorithm
    ["docker.io/library/busybox", "Always"],
    ["library/busybox:1.36", "IfNotPresent"],
    ["localhost/app", "Always"],
    ["localhost:5000/app", "Always"],
    ["localhost:5000/app:v2", "IfNotPresent"],
    ["registry.example.com/team/app", "Always"],
    ["registry.example.com:5000/team/app:latest", "Always"],
    ["[::1]:5000/app:latest", "Always"],
    ["[::1]:5000/app:1", "IfNotPresent"],
    ["gcr.io/distroless/static:nonroot", "IfNotPresent"],
    ["my_registry/app", "Always"],
    ["Nginx", "IfNotPresent"], // upper-case repository: invalid
    ["Registry.Example.com/app", "Always"], // an upper-case domain is fine
    ["nginx:", "IfNotPresent"],
    ["nginx:-bad", "IfNotPresent"],
    ["", "IfNotPresent"],
    ["a".repeat(64), "IfNotPresent"], // a bare image ID
    [`example.com/${"a".repeat(250)}`, "IfNotPresent"], // name longer than 255
    [undefined, "IfNotPresent"],
    [42, "IfNotPresent"],
  ];
  for (const [image, policy] of cases) {
    it(`${JSON.stringify(image)?.slice(0, 60)} → ${policy}`, () => assert.equal(defaultPullPolicy(image), policy));
  }

  it("parses name, tag and digest", () => {
    assert.deepEqual(parseImageReference(`registry.example.com:5000/team/app:v1@${SHA}`), {
      name: "registry.example.com:5000/team/app",
      tag: "v1",
      digest: SHA,
    });
    assert.deepEqual(parseImageReference("nginx"), { name: "docker.io/library/nginx", tag: "latest", digest: "" });
    assert.deepEqual(parseImageReference(`nginx@${SHA}`), { name: "docker.io/library/nginx", tag: "", digest: SHA });
  });

  it("never overwrites a policy the client set, and fills an empty one", () => {
    const set = { name: "c", image: "nginx", imagePullPolicy: "Never" };
    defaultContainer(set);
    assert.equal(set.imagePullPolicy, "Never");
    const empty = { name: "c", image: "nginx", imagePullPolicy: "" };
    defaultContainer(empty);
    assert.equal(empty.imagePullPolicy, "Always");
  });
});
