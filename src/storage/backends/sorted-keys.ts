// A sorted set of keys with binary search: the ordered index that prefix lists and continue tokens
// walk (LevelDB and etcd order keys the same way for the ASCII keys Kubernetes uses).

export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Index of the first key >= k. */
  lowerBound(k: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(k: string): void {
    const i = this.lowerBound(k);
    if (this.keys[i] !== k) this.keys.splice(i, 0, k);
  }

  remove(k: string): void {
    const i = this.lowerBound(k);
    if (this.keys[i] === k) this.keys.splice(i, 1);
  }

  /** Keys starting with prefix, from the first key >= start. */
  *range(prefix: string, start: string): Generator<string> {
    for (let i = this.lowerBound(start > prefix ? start : prefix); i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (!k.startsWith(prefix)) return;
      yield k;
    }
  }

  /** Number of keys starting with prefix from the first key >= start. */
  countFrom(prefix: string, start: string): number {
    const from = this.lowerBound(start > prefix ? start : prefix);
    let lo = from;
    let hi = this.keys.length;
    // keys with the prefix form one contiguous run; find its end
    const end = prefix + "\uffff";
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < end) lo = mid + 1;
      else hi = mid;
    }
    return lo - from;
  }
}
