// Waiting without sleeping: poll a condition (yielding to the event loop between polls) until it
// holds or a deadline passes, and bound any promise by a deadline.

export const DEFAULT_DEADLINE_MS = 5_000;

/** Lets pending microtasks and I/O callbacks run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves once cond() is true; rejects with message after timeoutMs. */
export async function waitFor(cond: () => boolean, message: string, timeoutMs = DEFAULT_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for: ${message}`);
    await tick();
  }
}

/** The promise's outcome, or a rejection after timeoutMs. */
export function withDeadline<T>(p: Promise<T>, message: string, timeoutMs = DEFAULT_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms: ${message}`)), timeoutMs);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** True when p is still pending after the event loop has had a chance to settle it. */
export async function isPending(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await tick();
  return !settled;
}

/** Like waitFor, for an asynchronous condition. */
export async function eventually(cond: () => Promise<boolean>, message: string, timeoutMs = DEFAULT_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for: ${message}`);
    await tick();
  }
}
