// A minimal protocol buffers writer (proto3 wire format): varints, strings, bools, doubles and
// nested messages, written into one growing buffer. A nested message reserves five bytes for its
// length, and is moved back over the unused ones once its size is known.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const LENGTH_RESERVE = 5;

export class ProtoWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private varint(n: number): void {
    this.ensure(10);
    let v = n;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private stringBytes(field: number, value: string): void {
    const len = Buffer.byteLength(value, "utf8");
    this.tag(field, WIRE_LEN);
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(value, this.pos, len, "utf8");
  }

  /** A string field; proto3 omits empty strings. */
  string(field: number, value: string | undefined): this {
    if (value) this.stringBytes(field, value);
    return this;
  }

  /** Repeated string: one field per element, empty strings included. */
  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.stringBytes(field, v);
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (value) {
      this.tag(field, WIRE_VARINT);
      this.varint(1);
    }
    return this;
  }

  /** A non-negative integer field (int64 lengths and counts). */
  uint(field: number, value: number | undefined): this {
    if (value) {
      this.tag(field, WIRE_VARINT);
      this.varint(value);
    }
    return this;
  }

  double(field: number, value: number | undefined): this {
    if (value !== undefined && value !== 0) {
      this.tag(field, WIRE_FIXED64);
      this.ensure(8);
      this.buf.writeDoubleLE(value, this.pos);
      this.pos += 8;
    }
    return this;
  }

  /** A nested message field, written even when empty (presence matters for messages). */
  message(field: number, write: (w: ProtoWriter) => void): this {
    this.tag(field, WIRE_LEN);
    this.ensure(LENGTH_RESERVE);
    const lengthAt = this.pos;
    this.pos += LENGTH_RESERVE;
    write(this);
    const size = this.pos - lengthAt - LENGTH_RESERVE;
    let lengthBytes = 1;
    for (let v = size; v > 0x7f; v = Math.floor(v / 128)) lengthBytes++;
    if (lengthBytes < LENGTH_RESERVE) this.buf.copy(this.buf, lengthAt + lengthBytes, lengthAt + LENGTH_RESERVE, this.pos);
    let at = lengthAt;
    let v = size;
    while (v > 0x7f) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[at++] = v;
    this.pos = at + size;
    return this;
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}
