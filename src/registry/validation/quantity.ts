// resource.Quantity as validation needs it: exact comparison (nano-unit precision, as upstream
// rounds) and the canonical String() form upstream prints in messages ("500m", "1Gi", "2k").
import { parseQuantity } from "../builtin/quantity.js";

export type Format = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  /** Value in nano-units (10^-9). */
  nano: bigint;
  format: Format;
}

const NANO = 1_000_000_000n;

export function quantity(input: unknown): Quantity | undefined {
  const nano = parseQuantity(input);
  if (nano === undefined) return undefined;
  const text = typeof input === "number" ? String(input) : String(input).trim();
  const suffix = /[a-zA-Z]+\d*$|[eE][+-]?\d+$/.exec(text)?.[0] ?? "";
  const format: Format = /^(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(suffix) ? "BinarySI" : /^[eE]/.test(suffix) ? "DecimalExponent" : "DecimalSI";
  return { nano, format };
}

export const cmp = (a: Quantity, b: Quantity): number => (a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0);
export const isNegative = (q: Quantity): boolean => q.nano < 0n;
/** Value() rounded up to an integer (upstream rounds away from zero). */
export function value(q: Quantity): bigint {
  const whole = q.nano / NANO;
  return q.nano % NANO === 0n ? whole : q.nano > 0n ? whole + 1n : whole - 1n;
}
export const milliValue = (q: Quantity): bigint => {
  const whole = q.nano / 1_000_000n;
  return q.nano % 1_000_000n === 0n ? whole : q.nano > 0n ? whole + 1n : whole - 1n;
};

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: "n", [-6]: "u", [-3]: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E" };
const BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/** Upstream Quantity.String(): the canonical form. */
export function quantityString(q: Quantity): string {
  if (q.nano === 0n) return "0";
  const sign = q.nano < 0n ? "-" : "";
  const abs = q.nano < 0n ? -q.nano : q.nano;
  let format = q.format;
  if (format === "BinarySI") {
    if (abs < 1024n * NANO || abs % NANO !== 0n) format = "DecimalSI";
  }
  if (format === "BinarySI") {
    let amount = abs / NANO;
    let exp = 0;
    while (amount % 1024n === 0n && exp < 6) {
      amount /= 1024n;
      exp++;
    }
    return `${sign}${amount}${BINARY_SUFFIX[exp]}`;
  }
  let amount = abs;
  let exp = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exp++;
  }
  const rem = ((exp % 3) + 3) % 3;
  if (rem) {
    amount *= 10n ** BigInt(rem);
    exp -= rem;
  }
  if (format === "DecimalExponent") return `${sign}${amount}${exp === 0 ? "" : `e${exp}`}`;
  const suffix = DECIMAL_SUFFIX[exp];
  return `${sign}${amount}${suffix ?? `e${exp}`}`;
}

/** The canonical string of a JSON quantity, or the input text when it does not parse. */
export function canonical(input: unknown): string {
  const q = quantity(input);
  return q ? quantityString(q) : String(input);
}
