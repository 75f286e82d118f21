// Storage errors are not API errors: they carry a code and the key, and are translated to
// ApiErrors in exactly one place (storage/interpret.ts), as upstream's storage/errors.go.

export type StorageErrorCode =
  | "KeyNotFound"
  | "KeyExists"
  | "ResourceVersionConflicts"
  | "InvalidObj"
  | "Compacted"
  | "FutureRevision"
  | "Unavailable"
  | "InvalidContinue"
  | "RequestTooLarge";

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** For Compacted: the oldest revision still available. */
    readonly revision = 0,
  ) {
    super(message);
    this.name = "StorageError";
  }

  static compacted(key: string, requested: number, compacted: number): StorageError {
    return new StorageError("Compacted", key, `revision ${requested} has been compacted (compacted revision ${compacted})`, compacted);
  }

  static futureRevision(key: string, requested: number, current: number): StorageError {
    return new StorageError("FutureRevision", key, `revision ${requested} is in the future (current revision ${current})`, current);
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
