// Metadata rules every resource shares (upstream rest.BeforeCreate / rest.BeforeUpdate and the
// generic Store): system fields, generateName, generation, status reset, and what an update may
// not change.
import { randomUUID } from "node:crypto";
import type { KubeObject } from "../apimachinery/types.js";
import { deepCopy } from "../storage/codec.js";
import { formatTime } from "../util/clock.js";
import { semanticEqual } from "../util/deep-equal.js";
import type { Strategy } from "./definition.js";

const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const MAX_GENERATED_BASE = 63 - 5;

/** Upstream SimpleNameGenerator: base (truncated) + 5 random characters. */
export function generateName(base: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  return base.slice(0, MAX_GENERATED_BASE) + suffix;
}

/** Fills the fields the server owns on a new object. */
export function fillCreateMetadata(obj: KubeObject, now: number, hasStatus: boolean, strategy: Strategy): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = formatTime(now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (strategy.generation) meta.generation = 1;
  else delete meta.generation;
  if (hasStatus && !strategy.keepStatusOnCreate) obj.status = structuredClone(strategy.initialStatus ?? {});
}

/** Keeps what an update of the main resource may not change (status, system metadata). */
export function carryOverForUpdate(obj: KubeObject, old: KubeObject, hasStatus: boolean, strategy: Strategy): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  if (!meta.uid) meta.uid = oldMeta.uid;
  if (oldMeta.creationTimestamp) meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
  else delete meta.generation;
  if (hasStatus) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  bumpGeneration(obj, old, strategy);
}

function bumpGeneration(obj: KubeObject, old: KubeObject, strategy: Strategy): void {
  if (!strategy.generation) return;
  let changed: boolean;
  if (strategy.generation === "nonStatus") {
    const strip = (o: KubeObject) => {
      const { metadata: _m, status: _s, ...rest } = o;
      return rest;
    };
    changed = !semanticEqual(strip(obj), strip(old));
  } else {
    changed = !semanticEqual(obj.spec, old.spec);
    if (strategy.generation === "specAndAnnotations") changed ||= !semanticEqual(obj.metadata.annotations, old.metadata.annotations);
  }
  if (changed) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
}

/** A /status update: everything but .status (and metadata the caller may touch) comes from old. */
export function statusUpdate(obj: KubeObject, old: KubeObject): KubeObject {
  // everything but metadata and status is old's (copied; those two are replaced just below). old is
  // the store's decoded copy, plain JSON, so a JSON copy is exactly structuredClone here.
  const next = {} as KubeObject;
  for (const k of Object.keys(old) as (keyof KubeObject)[]) {
    (next as Record<string, unknown>)[k] = k === "metadata" ? { ...obj.metadata } : k === "status" ? undefined : deepCopy(old[k]);
  }
  if (obj.status === undefined) delete next.status;
  else next.status = obj.status;
  const meta = next.metadata;
  const oldMeta = old.metadata;
  if (oldMeta.labels) meta.labels = structuredClone(oldMeta.labels);
  else delete meta.labels;
  meta.uid = oldMeta.uid;
  if (oldMeta.creationTimestamp) meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
  else delete meta.generation;
  return next;
}
