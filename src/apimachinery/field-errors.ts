// Field-level validation errors (upstream k8s.io/apimachinery/pkg/util/validation/field).
// Their text is what kubectl prints under "The X "y" is invalid:", so it follows upstream exactly.

export type FieldErrorType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "InternalError"
  | "FieldValueTypeInvalid";

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
  FieldValueTypeInvalid: "Invalid value",
};

/** Marks a FieldError whose bad value must not be printed (upstream's omitValue). */
export const OMIT_VALUE = Symbol("omitValue");

/** A bad value printed verbatim, as Go's %#v renders non-simple values (e.g. `0x0` for a uint64 zero). */
export class GoValue {
  constructor(readonly text: string) {}
}

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
}

/** A dotted/indexed field path, built like upstream's field.Path: spec.containers[0].image. */
export class FieldPath {
  private constructor(private readonly parts: readonly string[]) {}

  static root(name: string, ...more: string[]): FieldPath {
    return new FieldPath([name]).child(...more);
  }

  child(...names: string[]): FieldPath {
    let parts = [...this.parts];
    for (const n of names) parts = [...parts, `.${n}`];
    return new FieldPath(parts);
  }

  index(i: number): FieldPath {
    return new FieldPath([...this.parts, `[${i}]`]);
  }

  key(k: string): FieldPath {
    return new FieldPath([...this.parts, `[${k}]`]);
  }

  toString(): string {
    const [first = "", ...rest] = this.parts;
    return first + rest.join("");
  }
}

type PathLike = FieldPath | string;
const p = (path: PathLike) => path.toString();

export const fieldErrors = {
  required: (path: PathLike, detail = ""): FieldError => ({ type: "FieldValueRequired", field: p(path), badValue: "", detail }),
  invalid: (path: PathLike, value: unknown, detail = ""): FieldError => ({ type: "FieldValueInvalid", field: p(path), badValue: value, detail }),
  notFound: (path: PathLike, value: unknown): FieldError => ({ type: "FieldValueNotFound", field: p(path), badValue: value }),
  duplicate: (path: PathLike, value: unknown): FieldError => ({ type: "FieldValueDuplicate", field: p(path), badValue: value }),
  forbidden: (path: PathLike, detail: string): FieldError => ({ type: "FieldValueForbidden", field: p(path), badValue: "", detail }),
  tooLong: (path: PathLike, value: unknown, max: number): FieldError => ({
    type: "FieldValueTooLong",
    field: p(path),
    badValue: value,
    detail: `may not be more than ${max} bytes`,
  }),
  tooMany: (path: PathLike, actual: number, max: number): FieldError => ({
    type: "FieldValueTooMany",
    field: p(path),
    badValue: actual,
    detail: `must have at most ${max} items`,
  }),
  notSupported: (path: PathLike, value: unknown, valid: string[]): FieldError => ({
    type: "FieldValueNotSupported",
    field: p(path),
    badValue: value,
    detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(", ")}` : "",
  }),
  internal: (path: PathLike, err: Error): FieldError => ({ type: "InternalError", field: p(path), badValue: "", detail: err.message }),
};

/** Formats a Go value the way `%#v` and `%q` print the common cases. */
function formatBadValue(value: unknown): string {
  if (value instanceof GoValue) return value.text;
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) return `[]string{${value.map((v) => JSON.stringify(v)).join(", ")}}`;
    return JSON.stringify(value);
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.every(([, v]) => typeof v === "string")) {
      return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}

/** The text after "<field>: " (upstream Error.ErrorBody). */
export function fieldErrorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case "FieldValueRequired":
    case "FieldValueForbidden":
    case "FieldValueTooLong":
    case "InternalError":
      s = typeText[e.type];
      break;
    default:
      s = e.badValue === OMIT_VALUE ? typeText[e.type] : `${typeText[e.type]}: ${formatBadValue(e.badValue)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** Upstream's utilerrors.NewAggregate(...).Error(): one message bare, several in brackets, duplicates dropped. */
export function aggregateMessages(messages: string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(", ")}]`;
}
