// Shared informers: stopping one that waits to retry a failed list (its resource is no longer
// served, e.g. a deleted CRD) returns at once — a cancelled retry timer used to leave stop()
// waiting forever, so the server never finished shutting down.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errors } from "../../../../src/apimachinery/errors.js";
import type { Client } from "../../../../src/client/interface.js";
import { InformerFactory } from "../../../../src/client/informers/factory.js";
import { FakeClock } from "../../../../src/util/clock.js";

const gvr = { group: "stable.example.com", version: "v1", resource: "crontabs" };

function failingClient(): { client: Client; lists: () => number } {
  let lists = 0;
  const client = {
    list: async () => {
      lists++;
      throw errors.pathNotFound();
    },
  } as unknown as Client;
  return { client, lists: () => lists };
}

describe("SharedInformer", () => {
  it("stop() ends a wait before a retry", async () => {
    const clock = new FakeClock();
    const { client, lists } = failingClient();
    const factory = new InformerFactory(client, clock);
    const informer = factory.informerFor(gvr);
    factory.start();
    const deadline = Date.now() + 5000;
    while (lists() === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.equal(lists(), 1);
    // the run now waits on a fake timer that never fires
    await informer.stop();
    assert.equal(lists(), 1);
  });

  it("remove() stops and forgets the informers of a resource", async () => {
    const clock = new FakeClock();
    const { client } = failingClient();
    const factory = new InformerFactory(client, clock);
    const first = factory.informerFor(gvr);
    factory.start();
    await factory.remove(gvr);
    assert.notEqual(factory.informerFor(gvr), first, "a new informer after removal");
    await factory.stop();
  });
});
