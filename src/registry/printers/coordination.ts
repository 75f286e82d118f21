// coordination.k8s.io printers: Lease and LeaseCandidate.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, nameColumn, nameOf, printer, str } from "./util.js";

export const leasePrinter: Printer = printer(
  [nameColumn(), column("Holder", "string", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."), ageColumn()],
  (o, ctx) => [nameOf(o), str(o, "spec", "holderIdentity"), ageOf(o, ctx)],
);

export const leaseCandidatePrinter: Printer = printer(
  [
    nameColumn(),
    column("LeaseName", "string", "LeaseName is the name of the lease for which this candidate is contending. The limits on this field are the same as on Lease.name. Multiple lease candidates may reference the same Lease.name. This field is immutable."),
    // Upstream takes these two descriptions from ObjectMeta, which has no such fields: they are empty.
    column("BinaryVersion", "string", ""),
    column("EmulationVersion", "string", ""),
    ageColumn(),
  ],
  (o, ctx) => [
    nameOf(o),
    str(o, "spec", "leaseName"),
    str(o, "spec", "binaryVersion"),
    str(o, "spec", "emulationVersion"),
    ageOf(o, ctx),
  ],
);
