// The one place storage errors become API errors (upstream storage/errors/storage.go).
import { ApiError, errors, OPTIMISTIC_LOCK_MESSAGE } from "../apimachinery/errors.js";
import type { GroupResource } from "../apimachinery/types.js";
import { StorageError } from "./errors.js";

export function interpretStorageError(err: unknown, gr: GroupResource, name: string): unknown {
  if (!(err instanceof StorageError)) return err;
  switch (err.code) {
    case "KeyNotFound":
      return errors.notFound(gr, name);
    case "KeyExists":
      return errors.alreadyExists(gr, name);
    case "ResourceVersionConflicts":
      return errors.conflict(gr, name, OPTIMISTIC_LOCK_MESSAGE);
    case "Compacted":
      return errors.resourceExpired(`too old resource version: ${err.message}`);
    case "FutureRevision":
      return errors.timeout(`Too large resource version: ${err.message}`, 1);
    case "InvalidObj":
      return errors.conflict(gr, name, err.message);
    case "RequestTooLarge":
      return errors.requestEntityTooLarge(`the object is larger than the storage limit of ${1.5 * 1024 * 1024} bytes`);
    case "Unavailable":
      return errors.serviceUnavailable(err.message);
    default:
      return errors.internal(err);
  }
}

export function isApiOrStorageError(err: unknown): err is ApiError | StorageError {
  return err instanceof ApiError || err instanceof StorageError;
}
