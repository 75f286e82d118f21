// Conversion webhooks of CRDs (`conversion.strategy: Webhook`): objects stored in one version are
// converted by a ConversionReview posted to clientConfig.url over HTTPS (trusting caBundle), on
// reads, lists, watches and writes of the other version; a webhook answering wrongly fails the
// request with upstream's message. The webhook here is a local HTTPS server.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ensurePki } from "../../src/server/certs.js";
import { type Obj, startTestServer, type TestServer } from "../helpers/api-server.js";

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const open = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

let s: TestServer;
let webhook: https.Server;
let dir: string;
let caBundle: string;
let url: string;
/** What the webhook does to a review: convert (v1 spec.host ↔ v2 spec.hostname) or misbehave. */
let mode: "convert" | "wrong-uid" = "convert";
const reviews: Obj[] = [];

function convert(obj: Obj, to: string): Obj {
  const out = structuredClone(obj);
  out.apiVersion = to;
  if (to.endsWith("/v2") && out.spec?.host !== undefined) {
    out.spec.hostname = out.spec.host;
    delete out.spec.host;
  } else if (to.endsWith("/v1") && out.spec?.hostname !== undefined) {
    out.spec.host = out.spec.hostname;
    delete out.spec.hostname;
  }
  return out;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "kf-conversion-"));
  const pki = await ensurePki(dir);
  caBundle = Buffer.from(pki.caCert).toString("base64");
  webhook = https.createServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const review = JSON.parse(body) as Obj;
      reviews.push(review);
      const { uid, desiredAPIVersion, objects } = review.request;
      res.setHeader("Content-Type", "application/json");
      res.end(
        JSON.stringify({
          apiVersion: review.apiVersion,
          kind: "ConversionReview",
          response: {
            uid: mode === "wrong-uid" ? "not-the-uid" : uid,
            result: { status: "Success" },
            convertedObjects: (objects as Obj[]).map((o) => convert(o, desiredAPIVersion)),
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(webhook.address() as AddressInfo).port}/convert`;
  s = await startTestServer();
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "hosts.conv.example.com" },
    spec: {
      group: "conv.example.com",
      scope: "Namespaced",
      names: { plural: "hosts", singular: "host", kind: "Host" },
      versions: [
        { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: open } },
        { name: "v2", served: true, storage: false, schema: { openAPIV3Schema: open } },
      ],
      conversion: { strategy: "Webhook", webhook: { conversionReviewVersions: ["v1", "v1beta1"], clientConfig: { url, caBundle } } },
    },
  };
  const res = await s.post(CRDS, crd);
  assert.equal(res.status, 201, res.text);
  await s.api.crdsSettled();
});

after(async () => {
  await s.stop();
  await new Promise<void>((resolve) => webhook.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe("[sig-api-machinery] CustomResourceConversionWebhook [Privileged:ClusterAdmin]", () => {
  const v1 = "/apis/conv.example.com/v1/namespaces/default/hosts";
  const v2 = "/apis/conv.example.com/v2/namespaces/default/hosts";

  it("should be able to convert from CR v1 to CR v2", async () => {
    const created = await s.post(v1, { apiVersion: "conv.example.com/v1", kind: "Host", metadata: { name: "a" }, spec: { host: "example.org" } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.spec, { host: "example.org" });
    const got = await s.get(`${v2}/a`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.apiVersion, "conv.example.com/v2");
    assert.deepEqual(got.body.spec, { hostname: "example.org" });
    assert.equal(got.body.metadata.uid, created.body.metadata.uid, "metadata is the original's");
    const review = reviews.at(-1)!;
    assert.equal(review.apiVersion, "apiextensions.k8s.io/v1");
    assert.equal(review.request.desiredAPIVersion, "conv.example.com/v2");
  });

  it("should be able to convert a non homogeneous list of CRs (a write in v2 is stored in v1)", async () => {
    const created = await s.post(v2, { apiVersion: "conv.example.com/v2", kind: "Host", metadata: { name: "b" }, spec: { hostname: "b.example.org" } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.spec, { hostname: "b.example.org" });
    const stored = await s.get(`${v1}/b`);
    assert.deepEqual(stored.body.spec, { host: "b.example.org" });
    const list = await s.get(v2);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.items.map((o: Obj) => [o.apiVersion, o.spec.hostname]),
      [
        ["conv.example.com/v2", "example.org"],
        ["conv.example.com/v2", "b.example.org"],
      ],
    );
  });

  it("a webhook answering another review's uid fails the request with upstream's message", async () => {
    mode = "wrong-uid";
    try {
      const res = await s.get(`${v2}/a`);
      assert.equal(res.status, 500, res.text);
      assert.match(res.body.message, /conversion webhook for conv\.example\.com\/v2, Kind=Host failed: expected response uid/);
    } finally {
      mode = "convert";
    }
  });
});
