// ObjectStore (src/storage/object-store.ts): create, the guaranteedUpdate retry loop against racing
// writers, no-op updates, deletes with preconditions, dry runs, and the object size limit.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { errors } from "../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { encodeObject } from "../../../src/storage/codec.js";
import { isStorageError, type StorageErrorCode } from "../../../src/storage/errors.js";
import { MAX_OBJECT_BYTES } from "../../../src/storage/object-store.js";
import { configMap, keyOf, startCacher, type CacherFixture } from "../../helpers/storage/cacher.js";

const storageError = (code: StorageErrorCode) => (err: unknown) => {
  assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
  return true;
};

let f: CacherFixture;
beforeEach(async () => {
  f = await startCacher();
});
afterEach(() => f.stop());

const KEY = keyOf("cm");

describe("ObjectStore.create", () => {
  it("stores the object and returns it with the write's resourceVersion", async () => {
    const obj = { ...configMap("cm", { data: { a: "1" } }), metadata: { name: "cm", namespace: "default", resourceVersion: "999" } };
    const created = await f.store.create(KEY, obj, false);
    const rev = await f.revision();
    assert.equal(created.metadata.resourceVersion, String(rev));
    assert.deepEqual(created["data"], { a: "1" });
    const { kv } = await f.backend.get(KEY);
    assert.equal(kv!.value.includes("resourceVersion"), false, "the resourceVersion is never stored");
    assert.deepEqual(f.store.get(KEY), created);
  });

  it("a taken key is KeyExists; a dry run writes nothing", async () => {
    await f.store.create(KEY, configMap("cm"), false);
    const rev = await f.revision();
    await assert.rejects(f.store.create(KEY, configMap("cm"), false), storageError("KeyExists"));
    await assert.rejects(f.store.create(KEY, configMap("cm"), true), storageError("KeyExists"));
    const dry = await f.store.create(keyOf("other"), configMap("other"), true);
    assert.equal(dry.metadata.name, "other");
    assert.equal(await f.revision(), rev);
    assert.equal(f.store.get(keyOf("other")), undefined);
  });
});

describe("ObjectStore.guaranteedUpdate", () => {
  it("retries on a conflict with a racing writer, re-applying the change to the fresh state", async () => {
    await f.store.create(KEY, configMap("cm", { data: { a: "1" } }), false);
    const seen: (KubeObject | undefined)[] = [];
    const out = await f.store.guaranteedUpdate(
      KEY,
      async (cur) => {
        seen.push(cur && structuredClone(cur));
        if (seen.length === 1) {
          // another client writes between our read and our write
          const racing = { ...cur!, data: { ...(cur!["data"] as object), racer: "yes" } };
          const r = await f.backend.optimisticPut(KEY, encodeObject(racing), Number(cur!.metadata.resourceVersion));
          assert.ok(r.ok);
        }
        return { ...cur!, data: { ...(cur!["data"] as object), mine: "yes" } };
      },
      false,
    );
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[1]!["data"], { a: "1", racer: "yes" });
    assert.equal(Number(seen[1]!.metadata.resourceVersion), Number(seen[0]!.metadata.resourceVersion) + 1);
    assert.deepEqual(out.object["data"], { a: "1", racer: "yes", mine: "yes" });
    assert.deepEqual([out.created, out.changed], [false, true]);
    assert.equal(out.object.metadata.resourceVersion, String(await f.revision()));
  });

  it("passes undefined after a racing delete, so the update can create or refuse", async () => {
    await f.store.create(KEY, configMap("cm"), false);
    const seen: (KubeObject | undefined)[] = [];
    await assert.rejects(
      f.store.guaranteedUpdate(
        KEY,
        async (cur) => {
          seen.push(cur);
          if (!cur) throw errors.notFound({ group: "", resource: "configmaps" }, "cm");
          await f.backend.optimisticDelete(KEY, Number(cur.metadata.resourceVersion));
          return { ...cur, data: { x: "1" } };
        },
        false,
      ),
      { message: 'configmaps "cm" not found' },
    );
    assert.equal(seen.length, 2);
    assert.equal(seen[1], undefined);
  });

  it("a no-op update writes nothing and keeps the resourceVersion", async () => {
    const created = await f.store.create(KEY, configMap("cm", { data: { a: "1" } }), false);
    const rev = await f.revision();
    const same = await f.store.guaranteedUpdate(KEY, async (cur) => cur!, false);
    assert.deepEqual([same.changed, same.created], [false, false]);
    assert.equal(same.object.metadata.resourceVersion, created.metadata.resourceVersion);
    // a different resourceVersion in the result alone is not a change either
    const rvOnly = await f.store.guaranteedUpdate(KEY, async (cur) => ({ ...cur!, metadata: { ...cur!.metadata, resourceVersion: "1" } }), false);
    assert.equal(rvOnly.changed, false);
    assert.equal(await f.revision(), rev);
  });

  it("creates when absent; a dry run computes without writing", async () => {
    const rev = await f.revision();
    const dry = await f.store.guaranteedUpdate(KEY, async (cur) => cur ?? configMap("cm"), true);
    assert.deepEqual([dry.created, dry.changed], [true, true]);
    assert.equal(await f.revision(), rev);
    const real = await f.store.guaranteedUpdate(KEY, async (cur) => cur ?? configMap("cm"), false);
    assert.equal(real.created, true);
    assert.equal(real.object.metadata.resourceVersion, String(rev + 1));
    const dryUpdate = await f.store.guaranteedUpdate(KEY, async (cur) => ({ ...cur!, data: { b: "2" } }), true);
    assert.deepEqual(dryUpdate.object["data"], { b: "2" });
    assert.equal(dryUpdate.object.metadata.resourceVersion, real.object.metadata.resourceVersion);
    assert.equal(f.store.get(KEY)!["data"], undefined);
  });

  it("an error from tryUpdate aborts without writing", async () => {
    await f.store.create(KEY, configMap("cm"), false);
    const rev = await f.revision();
    await assert.rejects(
      f.store.guaranteedUpdate(KEY, async () => { throw new Error("validation failed"); }, false),
      { message: "validation failed" },
    );
    assert.equal(await f.revision(), rev);
  });

  it("gives up with ResourceVersionConflicts when every attempt races", async () => {
    await f.store.create(KEY, configMap("cm", { data: { n: "0" } }), false);
    let attempts = 0;
    await assert.rejects(
      f.store.guaranteedUpdate(
        KEY,
        async (cur) => {
          attempts++;
          const bumped = { ...cur!, data: { n: String(attempts) } };
          await f.backend.optimisticPut(KEY, encodeObject(bumped), Number(cur!.metadata.resourceVersion));
          return { ...cur!, data: { mine: "never" } };
        },
        false,
      ),
      storageError("ResourceVersionConflicts"),
    );
    assert.equal(attempts, 64);
  });
});

describe("ObjectStore.delete", () => {
  it("returns the deleted object with the delete's resourceVersion", async () => {
    await f.store.create(KEY, configMap("cm", { data: { a: "1" } }), false);
    const out = await f.store.delete(KEY, () => {}, false);
    const rev = await f.revision();
    assert.equal(out.metadata.resourceVersion, String(rev));
    assert.deepEqual(out["data"], { a: "1" });
    assert.equal(f.store.get(KEY), undefined);
  });

  it("a failing precondition aborts the delete", async () => {
    const created = await f.store.create(KEY, configMap("cm"), false);
    const rev = await f.revision();
    const conflict = errors.conflict({ group: "", resource: "configmaps" }, "cm", "Precondition failed: UID in precondition: x, UID in object meta: ");
    await assert.rejects(f.store.delete(KEY, () => { throw conflict; }, false), (err) => err === conflict);
    assert.equal(await f.revision(), rev);
    assert.deepEqual(f.store.get(KEY), created);
  });

  it("re-checks preconditions against the fresh state after a racing update", async () => {
    await f.store.create(KEY, configMap("cm", { data: { v: "1" } }), false);
    const checked: string[] = [];
    const out = await f.store.delete(
      KEY,
      (cur) => {
        checked.push(JSON.stringify(cur["data"]));
        if (checked.length === 1) void f.backend.optimisticPut(KEY, encodeObject({ ...cur, data: { v: "2" } }), Number(cur.metadata.resourceVersion));
      },
      false,
    );
    assert.deepEqual(checked, ['{"v":"1"}', '{"v":"2"}']);
    assert.deepEqual(out["data"], { v: "2" });
  });

  it("a missing key is KeyNotFound; a dry run deletes nothing", async () => {
    await assert.rejects(f.store.delete(KEY, () => {}, false), storageError("KeyNotFound"));
    await f.store.create(KEY, configMap("cm"), false);
    const rev = await f.revision();
    const dry = await f.store.delete(KEY, () => {}, true);
    assert.equal(dry.metadata.name, "cm");
    assert.equal(await f.revision(), rev);
    assert.ok(f.store.get(KEY));
  });
});

describe("object size limit", () => {
  /** A configmap whose stored encoding is exactly `bytes` long. */
  function sized(bytes: number): KubeObject {
    const base = configMap("cm", { data: { blob: "" } });
    const pad = bytes - Buffer.byteLength(encodeObject(base));
    return configMap("cm", { data: { blob: "x".repeat(pad) } });
  }

  it(`accepts ${MAX_OBJECT_BYTES} bytes and rejects one more with RequestTooLarge (413 at the API)`, async () => {
    assert.equal(Buffer.byteLength(encodeObject(sized(MAX_OBJECT_BYTES))), MAX_OBJECT_BYTES);
    const rev = await f.revision();
    await assert.rejects(f.store.create(KEY, sized(MAX_OBJECT_BYTES + 1), false), (err: unknown) => {
      assert.ok(isStorageError(err, "RequestTooLarge"));
      assert.equal(err.message, "request is too large");
      return true;
    });
    await assert.rejects(f.store.create(KEY, sized(MAX_OBJECT_BYTES + 1), true), storageError("RequestTooLarge"));
    assert.equal(await f.revision(), rev);
    await f.store.create(KEY, sized(MAX_OBJECT_BYTES), false);
    await assert.rejects(
      f.store.guaranteedUpdate(KEY, async () => sized(MAX_OBJECT_BYTES + 1), false),
      storageError("RequestTooLarge"),
    );
    assert.equal(await f.revision(), rev + 1);
  });
});
