// Address arithmetic and range allocators shared by the Service allocation admission plugin and the
// LoadBalancer controller: IPv4/IPv6 parsing and formatting, CIDR math, the service IP range
// (network and IPv4 broadcast addresses excluded, as upstream's ipallocator) and an offset pool
// that hands out dynamic values the way upstream's allocators do (KEP-3070 / KEP-3668: a random
// start in the upper band, scanning forward with wrap-around, then the lower "static" band).

export type IPFamily = "IPv4" | "IPv6";

export interface ParsedIP {
  family: IPFamily;
  value: bigint;
}

const V4_BITS = 32;
const V6_BITS = 128;

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let head = s;
  let tailV4: bigint | undefined;
  // an embedded dotted quad (::ffff:1.2.3.4) stands for the last two groups
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** Parses a textual IP address; undefined when it is not one. */
export function parseIP(s: string): ParsedIP | undefined {
  if (typeof s !== "string" || s === "") return undefined;
  if (s.includes(":")) {
    const v = parseV6(s);
    return v === undefined ? undefined : { family: "IPv6", value: v };
  }
  const v = parseV4(s);
  return v === undefined ? undefined : { family: "IPv4", value: v };
}

export function familyOf(ip: string): IPFamily | undefined {
  return parseIP(ip)?.family;
}

/** The canonical text of an address (RFC 5952 for IPv6, as Go's net.IP.String). */
export function formatIP(value: bigint, family: IPFamily): string {
  if (family === "IPv4") return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // the longest run (of at least two) of zero groups becomes "::"
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export class CIDR {
  private constructor(
    readonly family: IPFamily,
    /** The masked network address. */
    readonly network: bigint,
    readonly prefixLength: number,
  ) {}

  static parse(s: string): CIDR {
    const i = s.indexOf("/");
    const ip = i < 0 ? undefined : parseIP(s.slice(0, i));
    const len = i < 0 ? NaN : Number(s.slice(i + 1));
    if (!ip || !/^\d+$/.test(s.slice(i + 1))) throw new Error(`invalid CIDR address: ${s}`);
    const bits = ip.family === "IPv4" ? V4_BITS : V6_BITS;
    if (len > bits) throw new Error(`invalid CIDR address: ${s}`);
    const hostBits = BigInt(bits - len);
    return new CIDR(ip.family, (ip.value >> hostBits) << hostBits, len);
  }

  get bits(): number {
    return this.family === "IPv4" ? V4_BITS : V6_BITS;
  }

  /** Number of addresses in the prefix (2^host bits). */
  get size(): bigint {
    return 1n << BigInt(this.bits - this.prefixLength);
  }

  get broadcast(): bigint {
    return this.network + this.size - 1n;
  }

  contains(ip: ParsedIP | string): boolean {
    const p = typeof ip === "string" ? parseIP(ip) : ip;
    return !!p && p.family === this.family && p.value >= this.network && p.value <= this.broadcast;
  }

  toString(): string {
    return `${formatIP(this.network, this.family)}/${this.prefixLength}`;
  }
}

/**
 * Upstream's calculateRangeOffset: the size of the lower band reserved for static (user-chosen)
 * values, `min(max(min, size/step), max)`, 0 when the range is small.
 */
export function staticBandSize(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  const offset = Math.floor(size / step);
  return Math.min(Math.max(offset, min), max);
}

/** The usable addresses of a service (or load balancer) range. */
export class IPRange {
  readonly cidr: CIDR;
  readonly first: bigint;
  readonly last: bigint;
  /** Number of usable addresses (capped to a safe integer for huge IPv6 ranges). */
  readonly size: number;

  constructor(cidr: string | CIDR) {
    this.cidr = typeof cidr === "string" ? CIDR.parse(cidr) : cidr;
    // the network's ".0" is never handed out; for IPv4 neither is the broadcast address
    this.first = this.cidr.network + 1n;
    this.last = this.cidr.family === "IPv4" ? this.cidr.broadcast - 1n : this.cidr.broadcast;
    const n = this.last - this.first + 1n;
    this.size = n <= 0n ? 0 : Number(n > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : n);
  }

  get family(): IPFamily {
    return this.cidr.family;
  }

  /** The static band of a service IP range (upstream ipallocator: min 16, max 256, step 16 of the CIDR size). */
  get staticBand(): number {
    const cidrSize = this.cidr.size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(this.cidr.size);
    return Math.min(staticBandSize(cidrSize, 16, 256, 16), this.size);
  }

  /** The offset of a usable address, or undefined when the address is not one. */
  offsetOf(ip: string | ParsedIP): number | undefined {
    const p = typeof ip === "string" ? parseIP(ip) : ip;
    if (!p || p.family !== this.family || p.value < this.first || p.value > this.last) return undefined;
    const off = p.value - this.first;
    return off >= BigInt(this.size) ? undefined : Number(off);
  }

  at(offset: number): string {
    return formatIP(this.first + BigInt(offset), this.family);
  }
}

/** A NodePort range such as 30000-32767 (both ends included). */
export class PortRange {
  readonly size: number;

  constructor(
    readonly base: number,
    readonly max: number,
  ) {
    this.size = Math.max(0, max - base + 1);
  }

  /** Upstream portallocator's static band: min 16, max 128, step 32 of the range size. */
  get staticBand(): number {
    return staticBandSize(this.size, 16, 128, 32);
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port <= this.max;
  }

  offsetOf(port: number): number | undefined {
    return this.contains(port) ? port - this.base : undefined;
  }

  at(offset: number): number {
    return this.base + offset;
  }

  toString(): string {
    return `${this.base}-${this.max}`;
  }
}

/**
 * A set of taken offsets in [0, size) with a holder each. Dynamic allocation starts at a random
 * offset of the upper band [staticBand, size) and scans forward with wrap-around; when the upper
 * band is full it does the same in the lower band [0, staticBand), as upstream's allocators.
 */
export class OffsetPool<H> {
  private readonly held = new Map<number, H>();

  constructor(
    readonly size: number,
    readonly staticBand: number,
    private readonly random: () => number = Math.random,
  ) {}

  get used(): number {
    return this.held.size;
  }

  get free(): number {
    return this.size - this.held.size;
  }

  get(offset: number): H | undefined {
    return this.held.get(offset);
  }

  has(offset: number): boolean {
    return this.held.has(offset);
  }

  set(offset: number, holder: H): void {
    if (offset < 0 || offset >= this.size) throw new RangeError(`offset ${offset} outside [0, ${this.size})`);
    this.held.set(offset, holder);
  }

  delete(offset: number): void {
    this.held.delete(offset);
  }

  clear(): void {
    this.held.clear();
  }

  entries(): IterableIterator<[number, H]> {
    return this.held.entries();
  }

  /** A free offset in upstream's dynamic order, or undefined when the pool is full. */
  findFree(): number | undefined {
    if (this.held.size >= this.size) return undefined;
    const upper = this.scan(this.staticBand, this.size);
    if (upper !== undefined) return upper;
    return this.scan(0, this.staticBand);
  }

  private scan(from: number, to: number): number | undefined {
    const n = to - from;
    if (n <= 0) return undefined;
    const start = Math.min(n - 1, Math.floor(this.random() * n));
    for (let i = 0; i < n; i++) {
      const at = from + ((start + i) % n);
      if (!this.held.has(at)) return at;
    }
    return undefined;
  }
}
