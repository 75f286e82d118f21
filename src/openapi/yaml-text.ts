// YAML text of a JSON value, in the block style gnostic stores vendor-extension values in
// (openapi_v2.Any.yaml). Strings are quoted whenever a plain scalar could be read as something else.

const RESERVED = /^(?:true|false|yes|no|y|n|on|off|null|~)$/i;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

function scalar(v: unknown): string {
  if (typeof v === "string") return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  if (v === null || v === undefined) return "null";
  return String(v);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function lines(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return `${indent}[]\n`;
    return v
      .map((item) => {
        const body = isObject(item) || Array.isArray(item) ? lines(item, `${indent}  `) : `${indent}  ${scalar(item)}\n`;
        return `${indent}- ${body.slice(indent.length + 2)}`;
      })
      .join("");
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return `${indent}{}\n`;
    return keys
      .map((k) => {
        const x = v[k];
        if ((isObject(x) && Object.keys(x).length) || (Array.isArray(x) && x.length)) return `${indent}${scalar(k)}:\n${lines(x, Array.isArray(x) ? indent : `${indent}  `)}`;
        return `${indent}${scalar(k)}: ${isObject(x) ? "{}" : Array.isArray(x) ? "[]" : scalar(x)}\n`;
      })
      .join("");
  }
  return `${indent}${scalar(v)}\n`;
}

export function yamlText(value: unknown): string {
  return lines(value, "");
}
