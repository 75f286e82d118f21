// The protobuf wire format, read side: varints (up to 10 bytes, as Go's int64/uint64), fixed32,
// fixed64, length-delimited fields and skipping of unknown fields (including groups). Errors carry
// the texts of the gogo-generated Go unmarshalers (what a real API server says for the same input).

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireError";
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;

export const UNEXPECTED_EOF = "unexpected EOF";

export class Reader {
  /** Low and high 32 bits (unsigned) of the last varint or fixed64 read. */
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint into lo/hi. Like Go: at most 10 bytes; bits beyond 64 are dropped. */
  varint(): void {
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (i >= 10) throw new WireError("proto: integer overflow");
      if (this.pos >= this.end) throw new WireError(UNEXPECTED_EOF);
      const b = this.buf[this.pos++]!;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) break;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  int32(): number {
    this.varint();
    return this.lo | 0;
  }

  uint32(): number {
    this.varint();
    return this.lo;
  }

  /** int64 as a number (exact up to 2^53, like JSON numbers on the JSON path). */
  int64(): number {
    this.varint();
    return (this.hi | 0) * TWO_32 + this.lo;
  }

  uint64(): number {
    this.varint();
    return this.hi * TWO_32 + this.lo;
  }

  int64Big(): bigint {
    this.varint();
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  sint32(): number {
    this.varint();
    return (this.lo >>> 1) ^ -(this.lo & 1);
  }

  sint64(): number {
    this.varint();
    const big = (BigInt(this.hi) << 32n) | BigInt(this.lo);
    return Number((big >> 1n) ^ -(big & 1n));
  }

  bool(): boolean {
    this.varint();
    return (this.lo | this.hi) !== 0;
  }

  private need(n: number): void {
    if (this.end - this.pos < n) throw new WireError(UNEXPECTED_EOF);
  }

  private view(): DataView {
    return new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  fixed32(): number {
    this.need(4);
    const v = this.view().getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  sfixed32(): number {
    return this.fixed32() | 0;
  }

  float(): number {
    this.need(4);
    const v = this.view().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed64(): number {
    this.need(8);
    const dv = this.view();
    this.lo = dv.getUint32(this.pos, true);
    this.hi = dv.getUint32(this.pos + 4, true);
    this.pos += 8;
    return this.hi * TWO_32 + this.lo;
  }

  sfixed64(): number {
    this.fixed64();
    return (this.hi | 0) * TWO_32 + this.lo;
  }

  double(): number {
    this.need(8);
    const v = this.view().getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads the length of a length-delimited field and returns [start, end] of its bytes. */
  lengthDelimited(): [number, number] {
    this.varint();
    if (this.hi & 0x80000000) throw new WireError("proto: negative length found during unmarshaling");
    const len = this.hi * TWO_32 + this.lo;
    if (len > this.end - this.pos) throw new WireError(UNEXPECTED_EOF);
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  /** Reads a field key; returns [field number, wire type]. */
  tag(message: string): [number, number] {
    this.varint();
    const wireType = this.lo & 7;
    const fieldNum = ((this.lo >>> 3) | (this.hi << 29)) | 0;
    if (wireType === WIRE_END_GROUP) throw new WireError(`proto: ${message}: wiretype end group for non-group`);
    if (fieldNum <= 0) throw new WireError(`proto: ${message}: illegal tag ${fieldNum} (wire type ${wireType})`);
    return [fieldNum, wireType];
  }

  /** Skips the value of a field of the given wire type (an unknown field). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_BYTES:
        this.lengthDelimited();
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      case WIRE_START_GROUP: {
        let depth = 1;
        while (depth > 0) {
          if (this.pos >= this.end) throw new WireError(UNEXPECTED_EOF);
          this.varint();
          const wt = this.lo & 7;
          if (wt === WIRE_START_GROUP) depth++;
          else if (wt === WIRE_END_GROUP) depth--;
          else this.skip(wt);
        }
        return;
      }
      case WIRE_END_GROUP:
        throw new WireError("proto: unexpected end group");
      default:
        throw new WireError(`proto: illegal wireType ${wireType}`);
    }
  }
}
