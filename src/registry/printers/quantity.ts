// resource.Quantity's canonical string form (Quantity.String()), as printers show capacities,
// quota usage and metric values: "1024Mi" prints as "1Gi", "1.5" as "1500m", "1000M" as "1G".
// Values are exact (BigInt mantissa and a base-10 exponent), rounded up to nano precision like
// ParseQuantity does.

type Format = "DecimalSI" | "BinarySI" | "DecimalExponent";

interface Parsed {
  negative: boolean;
  /** |value| = mantissa * 10^exponent */
  mantissa: bigint;
  exponent: number;
  format: Format;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

function parse(input: string): Parsed | undefined {
  const m = QUANTITY.exec(input.trim());
  if (!m) return undefined;
  const [, sign = "", whole = "", fraction = "", suffix = ""] = m;
  if (whole === "" && fraction === "") return undefined;
  let mantissa = BigInt((whole || "0") + fraction);
  let exponent = -fraction.length;
  let format: Format;
  if (suffix in DECIMAL_SUFFIXES) {
    format = "DecimalSI";
    exponent += DECIMAL_SUFFIXES[suffix] ?? 0;
  } else if (suffix in BINARY_SUFFIXES) {
    format = "BinarySI";
    mantissa *= 1024n ** BigInt(BINARY_SUFFIXES[suffix] ?? 0);
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = "DecimalExponent";
    exponent += Number(suffix.slice(1));
  } else {
    return undefined;
  }
  // Round up (away from zero) to nano precision.
  if (exponent < -9) {
    const div = 10n ** BigInt(-9 - exponent);
    mantissa = (mantissa + div - 1n) / div;
    exponent = -9;
  }
  return { negative: sign === "-" && mantissa !== 0n, mantissa, exponent, format };
}

/** |value| as an integer when it has no fractional part. */
function asInteger(p: Parsed): bigint | undefined {
  if (p.exponent >= 0) return p.mantissa * 10n ** BigInt(p.exponent);
  const div = 10n ** BigInt(-p.exponent);
  return p.mantissa % div === 0n ? p.mantissa / div : undefined;
}

function decimalForm(p: Parsed): string {
  let mantissa = p.mantissa;
  let exponent = p.exponent;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  let suffix: string;
  if (p.format === "DecimalExponent") suffix = exponent === 0 ? "" : `e${exponent}`;
  else suffix = DECIMAL_BY_EXPONENT.get(exponent) ?? "";
  return `${p.negative ? "-" : ""}${mantissa}${suffix}`;
}

function canonical(p: Parsed): string {
  if (p.mantissa === 0n) return "0";
  if (p.format === "BinarySI") {
    const n = asInteger(p);
    // Small values (|v| < 1024) and fractional ones print in decimal form.
    if (n !== undefined && n >= 1024n) {
      let amount = n;
      let power = 0;
      while (amount % 1024n === 0n) {
        amount /= 1024n;
        power++;
      }
      return `${p.negative ? "-" : ""}${amount}${BINARY_BY_POWER[power] ?? ""}`;
    }
    return decimalForm({ ...p, format: "DecimalSI" });
  }
  return decimalForm(p);
}

/**
 * Quantity.String() of a quantity field value (a JSON string or number). A missing value is the
 * zero Quantity, "0"; an unparsable string prints unchanged.
 */
export function formatQuantity(value: unknown): string {
  if (value === undefined || value === null) return "0";
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  const p = parse(text);
  return p ? canonical(p) : text;
}

/** String() of a *Quantity: "<nil>" when the pointer is unset. */
export function formatQuantityPtr(value: unknown): string {
  if (value === undefined || value === null) return "<nil>";
  return formatQuantity(value);
}
