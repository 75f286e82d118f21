// upstream slowStartBatch (pkg/controller/replicaset): calls fn count times in batches that start
// at initialBatchSize and double after each batch that fully succeeds; the first batch with a
// failure ends the run. Returns the number of successful calls and the first error.

/** upstream controller.SlowStartInitialBatchSize */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    let error: unknown;
    let failed = false;
    for (const r of results) {
      if (r.status === "fulfilled") successes++;
      else if (!failed) {
        failed = true;
        error = r.reason;
      }
    }
    if (failed) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}

/** The batch sizes slowStartBatch uses for count calls that all succeed (1, 2, 4, … as upstream). */
export function slowStartBatchSizes(count: number, initialBatchSize = SLOW_START_INITIAL_BATCH_SIZE): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    sizes.push(batch);
    remaining -= batch;
  }
  return sizes;
}
