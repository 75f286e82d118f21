// Just enough of resource.Quantity to compare and add resource amounts: a quantity string
// ("100m", "1.5Gi", "2e3") becomes an exact count of nano-units (rounded up below 1n, as upstream
// rounds on precision loss). Formatting back to canonical form is not needed by strategies.

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;

/** Nano-units of a quantity, or undefined when the text is not a quantity. */
export function parseQuantity(input: unknown): bigint | undefined {
  const text = typeof input === "number" && Number.isFinite(input) ? String(input) : input;
  if (typeof text !== "string") return undefined;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const [, sign, number, suffix] = m as unknown as [string, string, string, string];
  const [whole = "", frac = ""] = number.split(".");
  let num = BigInt((whole || "0") + frac);
  let den = 10n ** BigInt(frac.length);
  let exp10 = 9; // nano-units
  if (suffix in BINARY) {
    num *= 1024n ** BigInt(BINARY[suffix]!);
  } else if (suffix in DECIMAL) {
    exp10 += DECIMAL[suffix]!;
  } else {
    const e = /^[eE]([+-]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    exp10 += Number(e[1]);
  }
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  const rounded = (num + den - 1n) / den;
  return sign === "-" ? -rounded : rounded;
}
