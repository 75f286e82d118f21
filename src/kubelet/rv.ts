// resourceVersion ordering for the kubelets' own bookkeeping (which of two copies of an object is
// newer). Clients must treat resourceVersions as opaque; this storage issues increasing integers,
// and anything else compares as "not newer".
export function newerThan(a: string | undefined, b: string | undefined): boolean {
  if (!a) return false;
  if (!b) return true;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length !== b.length ? a.length > b.length : a > b;
  return false;
}
