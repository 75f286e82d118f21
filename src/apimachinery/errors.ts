// The one error hierarchy of the API. Every layer throws an ApiError (or a StorageError, translated
// once in storage/interpret.ts); the HTTP layer turns it into a metav1.Status. Constructors and
// message texts follow k8s.io/apimachinery/pkg/api/errors so clients print what they print for a
// real cluster.
import {
  type GroupKind,
  type GroupResource,
  type ListMeta,
  type Status,
  type StatusCause,
  type StatusDetails,
  groupKindString,
  groupResourceString,
} from "./types.js";
import { type FieldError, aggregateMessages, fieldErrorBody, fieldErrorString } from "./field-errors.js";

export type StatusReason =
  | ""
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "AlreadyExists"
  | "Conflict"
  | "Expired"
  | "Gone"
  | "RequestEntityTooLarge"
  | "UnsupportedMediaType"
  | "Invalid"
  | "TooManyRequests"
  | "InternalError"
  | "ServerTimeout"
  | "ServiceUnavailable"
  | "Timeout";

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;
  /** ListMeta of the Status (the 410 of an expired continue token carries a fresh token here). */
  readonly listMeta: ListMeta;
  /** Seconds for a Retry-After header; only set where upstream sets it. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails, listMeta: ListMeta = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.listMeta = listMeta;
    this.retryAfterSeconds = details?.retryAfterSeconds;
  }

  toStatus(): Status {
    const status: Status = { kind: "Status", apiVersion: "v1", metadata: { ...this.listMeta }, status: "Failure", code: this.code };
    status.message = this.message;
    // upstream's errors from plain Go errors carry no reason (StatusReasonUnknown)
    if (this.reason) status.reason = this.reason;
    if (this.details) status.details = this.details;
    // keep upstream's field order: kind, apiVersion, metadata, status, message, reason, details, code
    const { code, ...rest } = status;
    return { ...rest, code } as Status;
  }
}

function details(gr: GroupResource, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export const OPTIMISTIC_LOCK_MESSAGE =
  "the object has been modified; please apply your changes to the latest version and try again";

export const errors = {
  badRequest: (message: string) => new ApiError(400, "BadRequest", message),

  unauthorized: (message = "Unauthorized") => new ApiError(401, "Unauthorized", message),

  forbidden: (gr: GroupResource, name: string, reason: string) =>
    new ApiError(
      403,
      "Forbidden",
      name ? `${groupResourceString(gr)} "${name}" is forbidden: ${reason}` : `${groupResourceString(gr)} is forbidden: ${reason}`,
      details(gr, name),
    ),

  notFound: (gr: GroupResource, name: string) =>
    new ApiError(404, "NotFound", `${groupResourceString(gr)} "${name}" not found`, details(gr, name)),

  /** A path that names nothing served (upstream's NotFound without a resource). */
  pathNotFound: () => new ApiError(404, "NotFound", "the server could not find the requested resource", {}),

  methodNotSupported: (gr: GroupResource, action: string) =>
    new ApiError(405, "MethodNotAllowed", `${action} is not supported on resources of kind "${groupResourceString(gr)}"`, details(gr)),

  notAcceptable: (accepted: string[]) =>
    new ApiError(406, "NotAcceptable", `only the following media types are accepted: ${accepted.join(", ")}`),

  alreadyExists: (gr: GroupResource, name: string) =>
    new ApiError(409, "AlreadyExists", `${groupResourceString(gr)} "${name}" already exists`, details(gr, name)),

  conflict: (gr: GroupResource, name: string, reason: string) =>
    new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${reason}`, details(gr, name)),

  resourceExpired: (message: string, listMeta: ListMeta = {}) => new ApiError(410, "Expired", message, undefined, listMeta),

  gone: (message: string) => new ApiError(410, "Gone", message),

  requestEntityTooLarge: (message: string) =>
    new ApiError(413, "RequestEntityTooLarge", `Request entity too large: ${message}`),

  unsupportedMediaType: (accepted: string[]) =>
    new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    ),

  /** An UnsupportedMediaType with a caller-given message (upstream builds some by hand, e.g. SMP on CRs). */
  unsupportedMediaTypeMessage: (message: string) => new ApiError(415, "UnsupportedMediaType", message),

  invalid: (gk: GroupKind, name: string, errs: FieldError[]) => {
    const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
    const d: StatusDetails = {};
    if (name) d.name = name;
    if (gk.group) d.group = gk.group;
    d.kind = gk.kind;
    if (causes.length) d.causes = causes;
    const base = `${groupKindString(gk)} "${name}" is invalid`;
    const message = errs.length ? `${base}: ${aggregateMessages(errs.map(fieldErrorString))}` : base;
    return new ApiError(422, "Invalid", message, d);
  },

  tooManyRequests: (message: string, retryAfterSeconds?: number) =>
    new ApiError(429, "TooManyRequests", message, retryAfterSeconds ? { retryAfterSeconds } : undefined),

  internal: (err: unknown) => {
    const text = err instanceof Error ? err.message : String(err);
    return new ApiError(500, "InternalError", `Internal error occurred: ${text}`, { causes: [{ message: text }] });
  },

  serverTimeout: (gr: GroupResource, operation: string, retryAfterSeconds: number) =>
    new ApiError(
      500,
      "ServerTimeout",
      `The ${operation} operation against ${groupResourceString(gr)} could not be completed at this time, please try again.`,
      { ...details(gr, operation), retryAfterSeconds },
    ),

  serviceUnavailable: (message = "the server is currently unable to handle the request") =>
    new ApiError(503, "ServiceUnavailable", message),

  timeout: (message: string, retryAfterSeconds?: number) =>
    new ApiError(504, "Timeout", `Timeout: ${message}`, retryAfterSeconds ? { retryAfterSeconds } : undefined),
};

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** Any thrown value as an ApiError: ApiErrors pass through, everything else is an InternalError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return errors.internal(err);
}
