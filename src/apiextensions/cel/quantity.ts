// resource.Quantity as the CEL quantity library sees it (upstream k8s.io/apiserver/pkg/cel/library/
// quantity.go over apimachinery's resource.ParseQuantity): an exact rational value, compared,
// added and converted exactly. Canonical re-formatting is not needed by the library.

const FORMAT_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** resource.ParseQuantity's error texts. */
export const QUANTITY_ERRORS = {
  format: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  numeric: "unable to parse numeric part of quantity",
  suffix: "unable to parse quantity's suffix",
};

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
}

export class Quantity {
  /** value = num / den, den > 0 and reduced. */
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
    readonly text: string,
  ) {}

  static of(num: bigint, den: bigint, text: string): Quantity {
    const g = gcd(num, den) || 1n;
    return new Quantity(num / g, den / g, text);
  }

  /** Parses like resource.ParseQuantity; throws its error text. */
  static parse(text: string): Quantity {
    const m = FORMAT_RE.exec(text);
    if (!text || !m) throw new Error(QUANTITY_ERRORS.format);
    const [, numberPart, suffix] = m as unknown as [string, string, string];
    const nm = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(numberPart);
    if (!nm) throw new Error(QUANTITY_ERRORS.format);
    if (nm[2] === "" && (nm[3] ?? "") === "") throw new Error(QUANTITY_ERRORS.numeric);
    const [, sign, whole = "", frac = ""] = nm;
    let num = BigInt((whole || "0") + frac);
    let den = 10n ** BigInt(frac.length);
    let exp10 = 0;
    if (suffix in BINARY) num *= 1024n ** BigInt(BINARY[suffix]!);
    else if (suffix in DECIMAL) exp10 = DECIMAL[suffix]!;
    else {
      const e = /^[eE]([+-]?\d+)$/.exec(suffix);
      if (!e) throw new Error(QUANTITY_ERRORS.suffix);
      exp10 = Number(e[1]);
    }
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den *= 10n ** BigInt(-exp10);
    return Quantity.of(sign === "-" ? -num : num, den, text);
  }

  static isQuantity(text: string): boolean {
    try {
      Quantity.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  static fromInt(v: bigint): Quantity {
    return Quantity.of(v, 1n, String(v));
  }

  cmp(o: Quantity): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  sign(): bigint {
    return this.num < 0n ? -1n : this.num > 0n ? 1n : 0n;
  }

  add(o: Quantity): Quantity {
    return Quantity.of(this.num * o.den + o.num * this.den, this.den * o.den, "");
  }

  sub(o: Quantity): Quantity {
    return Quantity.of(this.num * o.den - o.num * this.den, this.den * o.den, "");
  }

  /** The integer value when the quantity is an integer that fits int64 (resource.Quantity.AsInt64). */
  asInt64(): bigint | undefined {
    if (this.den !== 1n || this.num > MAX_INT64 || this.num < MIN_INT64) return undefined;
    return this.num;
  }

  asApproximateFloat(): number {
    return Number(this.num) / Number(this.den);
  }

  /** CEL equality of quantities (resource.Quantity.Equal). */
  celEquals(o: unknown): boolean {
    return o instanceof Quantity && this.cmp(o) === 0;
  }

  toString(): string {
    return this.text;
  }
}
