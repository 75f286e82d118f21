// A sorted set of keys: the ordered index that prefix lists and continue tokens walk (LevelDB and
// etcd order keys the same way for the ASCII keys Kubernetes uses). Keys live in chunks of bounded
// size, so an insert or delete moves at most one chunk instead of the whole index.

const MAX_CHUNK = 1024;

export class SortedKeys {
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Index of the first chunk whose last key is >= k (chunks.length if none). */
  private chunkFor(k: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (chunk[chunk.length - 1]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static lowerBound(arr: string[], k: string): number {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (arr[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(k: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([k]);
      this.count = 1;
      return;
    }
    let c = this.chunkFor(k);
    if (c === this.chunks.length) c--; // beyond every key: append to the last chunk
    const chunk = this.chunks[c]!;
    const i = SortedKeys.lowerBound(chunk, k);
    if (chunk[i] === k) return;
    chunk.splice(i, 0, k);
    this.count++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK >> 1));
  }

  remove(k: string): void {
    const c = this.chunkFor(k);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const i = SortedKeys.lowerBound(chunk, k);
    if (chunk[i] !== k) return;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Keys starting with prefix, from the first key >= start. */
  *range(prefix: string, start: string): Generator<string> {
    const from = start > prefix ? start : prefix;
    const first = this.chunkFor(from);
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      for (let i = c === first ? SortedKeys.lowerBound(chunk, from) : 0; i < chunk.length; i++) {
        const k = chunk[i]!;
        if (!k.startsWith(prefix)) return;
        yield k;
      }
    }
  }

  /** Number of keys starting with prefix from the first key >= start. */
  countFrom(prefix: string, start: string): number {
    return this.rank(prefix + "\uffff") - this.rank(start > prefix ? start : prefix);
  }

  /** Number of keys < k. */
  private rank(k: string): number {
    let n = 0;
    for (const chunk of this.chunks) {
      if (chunk[chunk.length - 1]! < k) {
        n += chunk.length;
        continue;
      }
      return n + SortedKeys.lowerBound(chunk, k);
    }
    return n;
  }
}
