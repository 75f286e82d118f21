// Conversion webhooks of CRDs with `conversion.strategy: Webhook` (upstream
// pkg/apiserver/conversion/webhook_converter.go): objects not already at the desired version go to
// the webhook in one ConversionReview (the first review version both sides speak: v1, then
// v1beta1), over HTTPS trusting clientConfig.caBundle; the response must answer the request's uid
// with status Success and one object per object sent, each at the desired version and of the same
// kind; the converted objects keep their original metadata except labels and annotations.
import { randomUUID } from "node:crypto";
import https from "node:https";
import type { KubeObject } from "../../apimachinery/types.js";
import type { CRD } from "../crd.js";
import type { VersionConverter } from "../custom-resource.js";

export interface ServiceRef {
  namespace: string;
  name: string;
  port?: number;
  path?: string;
}

export interface ConverterDeps {
  /** Where a webhook addressed by Service is reached. */
  resolveService(ref: ServiceRef): URL | Promise<URL>;
  /** Upstream's webhook timeout (30 s). */
  timeoutMs?: number;
}

/** A failed conversion: its message is upstream's, the request answers 500 with it. */
export class ConversionError extends Error {}

const SUPPORTED_REVIEW_VERSIONS = ["v1", "v1beta1"];

function post(url: URL, body: string, ca: string | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, ...(ca ? { ca } : {}), timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`the server responded with the status code ${res.statusCode} but did not return more information`));
          else resolve(text);
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("context deadline exceeded")));
    req.on("error", reject);
    req.end(body);
  });
}

export function createConverter(crd: CRD, deps: ConverterDeps): VersionConverter {
  const webhook = crd.spec.conversion?.webhook;
  const kind = crd.spec.names.kind;
  const timeoutMs = deps.timeoutMs ?? 30_000;
  return {
    async convert(objects: KubeObject[], toAPIVersion: string): Promise<KubeObject[]> {
      const gvk = `${toAPIVersion}, Kind=${kind}`;
      const fail = (msg: string) => new ConversionError(`conversion webhook for ${gvk} failed: ${msg}`);
      const pending = objects.map((o, i) => ({ o, i })).filter(({ o }) => o.apiVersion !== toAPIVersion);
      if (pending.length === 0) return objects;
      const reviewVersion = (webhook?.conversionReviewVersions ?? []).find((v) => SUPPORTED_REVIEW_VERSIONS.includes(v));
      if (!reviewVersion)
        throw fail(`no supported conversion review versions; the webhook accepts ${JSON.stringify(webhook?.conversionReviewVersions ?? [])}, the server supports ${JSON.stringify(SUPPORTED_REVIEW_VERSIONS)}`);
      const cc = webhook?.clientConfig ?? {};
      let url: URL;
      if (cc.url) url = new URL(cc.url);
      else if (cc.service) url = await deps.resolveService({ namespace: cc.service.namespace, name: cc.service.name, port: cc.service.port ?? 443, ...(cc.service.path ? { path: cc.service.path } : {}) });
      else throw fail("the webhook has neither url nor service");
      const uid = randomUUID();
      const review = { apiVersion: `apiextensions.k8s.io/${reviewVersion}`, kind: "ConversionReview", request: { uid, desiredAPIVersion: toAPIVersion, objects: pending.map(({ o }) => o) } };
      const ca = cc.caBundle ? Buffer.from(cc.caBundle, "base64").toString("utf8") : undefined;
      let text: string;
      try {
        text = await post(url, JSON.stringify(review), ca, timeoutMs);
      } catch (err) {
        throw fail(`Post "${url.href}": ${(err as Error).message}`);
      }
      let response: { response?: { uid?: string; result?: { status?: string; message?: string }; convertedObjects?: KubeObject[] } };
      try {
        response = JSON.parse(text);
      } catch (err) {
        throw fail(`unmarshal error: ${(err as Error).message}`);
      }
      const r = response.response;
      if (!r) throw fail("no response provided");
      if (r.uid !== uid) throw fail(`expected response uid ${JSON.stringify(uid)}, got ${JSON.stringify(r.uid ?? "")}`);
      if (r.result?.status !== "Success") throw fail(r.result?.message ?? "conversion failed");
      const converted = r.convertedObjects ?? [];
      if (converted.length !== pending.length) throw fail(`expected ${pending.length} converted objects, got ${converted.length}`);
      const out = [...objects];
      pending.forEach(({ o, i }, n) => {
        const c = converted[n]!;
        if (c.apiVersion !== toAPIVersion) throw fail(`invalid converted object at index ${n}: invalid apiVersion ${JSON.stringify(c.apiVersion)}, expected ${JSON.stringify(toAPIVersion)}`);
        if (c.kind !== o.kind) throw fail(`invalid converted object at index ${n}: invalid kind ${JSON.stringify(c.kind)}, expected ${JSON.stringify(o.kind)}`);
        // only labels and annotations may change (upstream restoreObjectMeta)
        const meta = { ...o.metadata };
        const cm = (c.metadata ?? {}) as KubeObject["metadata"];
        if (cm.labels) meta.labels = cm.labels;
        else delete meta.labels;
        if (cm.annotations) meta.annotations = cm.annotations;
        else delete meta.annotations;
        out[i] = { ...c, metadata: meta };
      });
      return out;
    },
  };
}
