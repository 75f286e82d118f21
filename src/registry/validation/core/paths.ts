// Path checks shared by volumes, mounts and seccomp profiles (upstream validateLocalDescendingPath,
// validatePathNoBacksteps, ValidateLocalNonReservedPath).
import { type FieldError, FieldPath, fieldErrors } from "../helpers.js";

export function pathNoBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split("/").includes("..") ? [fieldErrors.invalid(path, target, "must not contain '..'")] : [];
}

export function localDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith("/")) errs.push(fieldErrors.invalid(path, target, "must be a relative path"));
  errs.push(...pathNoBacksteps(target, path));
  return errs;
}

export function localNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = localDescendingPath(target, path);
  if (target.startsWith("..") && !target.startsWith("../")) errs.push(fieldErrors.invalid(path, target, "must not start with '..'"));
  return errs;
}
