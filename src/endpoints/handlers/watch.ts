// WATCH: a chunked stream of newline-delimited JSON events, flushed one by one (upstream
// endpoints/handlers/watch.go). The stream ends at timeoutSeconds (default: a random time in
// [minRequestTimeout, 2×minRequestTimeout)), when the client goes away, when the watcher is cut
// off for falling behind, or at server shutdown.
import { parseFieldSelector } from "../../apimachinery/fields.js";
import type { KubeObject, WatchEvent } from "../../apimachinery/types.js";
import { apiVersionOfDefinition } from "../../registry/definition.js";
import type { Watch } from "../../registry/rest.js";
import { parseIncludeObject, partialObjectMetadata, toTable } from "../transform.js";
import { parseListOptions } from "./options.js";
import { negotiate, withTypeMeta, type HandlerScope } from "./scope.js";

export interface WatchSettings {
  /** Seconds; a watch without timeoutSeconds lasts between this and twice this. */
  minRequestTimeoutSeconds: number;
  /** Registers a live watch so shutdown can end it; returns an unregister function. */
  track(stop: () => void): () => void;
}

function waitForDrainOrClose(res: HandlerScope["res"]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

export async function handleWatch(scope: HandlerScope, settings: WatchSettings): Promise<void> {
  const format = negotiate(scope, true);
  const opts = parseListOptions(scope.query, true);
  if (scope.info.name) {
    // legacy /watch/.../<name>: a watch of one object
    const extra = `metadata.name=${scope.info.name}`;
    const existing = opts.fieldSelector?.toString();
    opts.fieldSelector = parseFieldSelector(existing ? `${existing},${extra}` : extra);
  }
  const watch: Watch = await scope.rest.watch!(scope.ctx, opts);
  const { res, req, ctx } = scope;
  const timeoutSeconds =
    opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
      ? opts.timeoutSeconds
      : settings.minRequestTimeoutSeconds * (1 + Math.random());
  const timer = ctx.clock.setTimer(timeoutSeconds * 1000, () => watch.stop());
  const untrack = settings.track(() => watch.stop());
  const onClose = () => watch.stop();
  req.on("close", onClose);
  res.on("close", onClose);

  res.status(200);
  res.setHeader("Content-Type", format.encoding === "yaml" ? "application/yaml" : "application/json");
  res.setHeader("Cache-Control", "no-cache, private");
  res.setHeader("Transfer-Encoding", "chunked");
  res.flushHeaders();

  const includeObject = parseIncludeObject(scope.query.get("includeObject"));
  const apiVersion = apiVersionOfDefinition(scope.def);
  let first = true;
  const encodeEvent = (ev: WatchEvent<KubeObject>): unknown => {
    if (ev.type === "ERROR") return ev;
    if (ev.type === "BOOKMARK") {
      const kind = format.as === "Table" ? "Table" : format.as ? "PartialObjectMetadata" : scope.def.kind;
      const av = format.as ? `meta.k8s.io/${format.metaVersion}` : apiVersion;
      return { type: ev.type, object: { kind, apiVersion: av, metadata: ev.object.metadata } };
    }
    const obj = withTypeMeta(scope, ev.object);
    if (format.as === "Table") {
      const table = toTable(scope.printer, [obj], { resourceVersion: obj.metadata.resourceVersion ?? "" }, {
        includeObject,
        metaVersion: format.metaVersion,
        now: ctx.clock.now(),
        noHeaders: !first,
      });
      first = false;
      return { type: ev.type, object: table };
    }
    if (format.as) return { type: ev.type, object: partialObjectMetadata(obj, format.metaVersion) };
    return { type: ev.type, object: obj };
  };

  try {
    for await (const ev of watch) {
      if (res.destroyed || res.writableEnded) break;
      const line = JSON.stringify(encodeEvent(ev)) + "\n";
      if (!res.write(line)) await waitForDrainOrClose(res);
    }
  } finally {
    timer.cancel();
    untrack();
    req.off("close", onClose);
    res.off("close", onClose);
    watch.stop();
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
