// The naming and establishing controllers' decision (upstream pkg/controller/status
// naming_controller.go calculateNamesAndConditions, and establish's condition): which requested
// names a CRD may have given the names other CRDs of its group already hold, and its NamesAccepted
// and Established conditions. One process serves every version at once, so a CRD whose names are
// accepted is established in the same step.
import { acceptedNames, type CRD, type CRDCondition, type CRDNames, findCondition, specNames } from "./crd.js";

export interface NamingResult {
  acceptedNames: CRDNames;
  namesAccepted: CRDCondition;
  established: CRDCondition;
}

/** Names held by the other CRDs of the group (their accepted names). */
function namesInUse(crd: CRD, others: CRD[]) {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of others) {
    if (other.metadata.name === crd.metadata.name || other.spec?.group !== crd.spec.group) continue;
    const n = acceptedNames(other);
    for (const r of [n.plural, n.singular, ...n.shortNames]) if (r) resources.add(r);
    for (const k of [n.kind, n.listKind]) if (k) kinds.add(k);
  }
  return { resources, kinds };
}

/** A requested name is fine when it is already accepted for this CRD or no one else holds it (upstream equalToAcceptedOrFresh). */
function conflict(requested: string, accepted: string, used: Set<string>): string | undefined {
  if (requested === accepted || !used.has(requested)) return undefined;
  return `"${requested}" is already in use`;
}

export function calculateNamesAndConditions(crd: CRD, others: CRD[]): NamingResult {
  const { resources, kinds } = namesInUse(crd, others);
  const requested = specNames(crd);
  const accepted = acceptedNames(crd);
  const next: CRDNames = { ...accepted };
  const problems: { reason: string; message: string }[] = [];
  const check = (reason: string, req: string, acc: string, used: Set<string>, set: () => void) => {
    const err = conflict(req, acc, used);
    if (err) problems.push({ reason, message: err });
    else set();
  };
  check("PluralConflict", requested.plural, accepted.plural, resources, () => (next.plural = requested.plural));
  check("SingularConflict", requested.singular, accepted.singular, resources, () => (next.singular = requested.singular));
  const shortConflicts = requested.shortNames.filter((s) => !accepted.shortNames.includes(s) && resources.has(s));
  if (shortConflicts.length) problems.push({ reason: "ShortNamesConflict", message: `"${shortConflicts[0]}" is already in use` });
  else next.shortNames = requested.shortNames;
  check("KindConflict", requested.kind, accepted.kind, kinds, () => (next.kind = requested.kind));
  check("ListKindConflict", requested.listKind, accepted.listKind, kinds, () => (next.listKind = requested.listKind));
  next.categories = requested.categories;

  const namesAccepted: CRDCondition = problems.length
    ? { type: "NamesAccepted", status: "False", reason: problems[0]!.reason, message: problems[0]!.message }
    : { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" };
  const previous = findCondition(crd, "Established");
  let established: CRDCondition = previous
    ? { type: "Established", status: previous.status, reason: previous.reason ?? "", message: previous.message ?? "" }
    : { type: "Established", status: "False", reason: "NotAccepted", message: "not all names are accepted" };
  if (established.status !== "True" && namesAccepted.status === "True")
    established = { type: "Established", status: "True", reason: "InitialNamesAccepted", message: "the initial names have been accepted" };
  return { acceptedNames: next, namesAccepted, established };
}
