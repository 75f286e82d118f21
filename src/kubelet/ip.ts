// IPv4 address arithmetic for the simulated network: node addresses, the per-node pod ranges
// cut from the cluster pod CIDR (as kube-controller-manager's range allocator does, in order) and
// pod IPs handed out inside a node's range the way host-local IPAM does (from .2 upwards, round
// robin, never the network, gateway (.1) or broadcast address).

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

export function parseIPv4(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(cidr: string): Cidr {
  const [ip, len] = cidr.split("/");
  const prefix = Number(len);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`invalid CIDR ${JSON.stringify(cidr)}`);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(parseIPv4(ip) / size) * size;
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/**
 * The mask size node ranges get: the requested one, or the longest that still gives every node a
 * range of its own (never longer than /30, which leaves two pod addresses).
 */
export function nodeMaskSize(cluster: Cidr, nodes: number, requested: number): number {
  let mask = Math.max(requested, cluster.prefix);
  while (mask < 30 && 2 ** (mask - cluster.prefix) < nodes) mask++;
  return mask;
}

/** The i-th (0-based) node range inside the cluster range, or undefined when it is exhausted. */
export function nodeCidr(cluster: Cidr, mask: number, index: number): Cidr | undefined {
  const count = 2 ** (mask - cluster.prefix);
  if (index < 0 || index >= count) return undefined;
  return { base: cluster.base + index * 2 ** (32 - mask), prefix: mask };
}

/** The i-th (0-based) host address of a range, skipping its network address and the gateway (.1). */
export function nthHost(c: Cidr, index: number): string {
  return formatIPv4(c.base + 2 + index);
}

/** host-local IPAM for one node range: lowest free address after the last one handed out. */
export class PodIPAllocator {
  private readonly used = new Set<number>();
  private cursor = 0;
  private readonly first: number;
  private readonly count: number;

  constructor(readonly range: Cidr) {
    this.first = range.base + 2;
    // network, gateway and broadcast are never handed out
    this.count = Math.max(0, cidrSize(range) - 3);
  }

  get allocated(): number {
    return this.used.size;
  }

  allocate(): string | undefined {
    for (let i = 0; i < this.count; i++) {
      const offset = (this.cursor + i) % this.count;
      const addr = this.first + offset;
      if (!this.used.has(addr)) {
        this.used.add(addr);
        this.cursor = (offset + 1) % this.count;
        return formatIPv4(addr);
      }
    }
    return undefined;
  }

  /** Marks an address as taken (pods adopted after a restart keep their IPs). */
  reserve(ip: string): boolean {
    let n: number;
    try {
      n = parseIPv4(ip);
    } catch {
      return false;
    }
    if (n < this.first || n >= this.first + this.count) return false;
    this.used.add(n);
    return true;
  }

  release(ip: string): void {
    try {
      this.used.delete(parseIPv4(ip));
    } catch {
      /* not ours */
    }
  }
}
