// Printers of alpha infrastructure groups: internal.apiserver.k8s.io StorageVersion and
// storagemigration.k8s.io StorageVersionMigration.
import type { Printer } from "../printer.js";
import { ageColumn, ageOf, column, has, list, listWithMore, nameColumn, nameOf, printer, str, NAME_DESCRIPTION } from "./util.js";

export const storageVersionPrinter: Printer = printer(
  [
    nameColumn(),
    column("CommonEncodingVersion", "string", "If all API server instances agree on the same encoding storage version, then this field is set to that version. Otherwise this field is left empty. API servers should finish updating its storageVersionStatus entry before serving write operations, so that this field will be in sync with the reality."),
    column("StorageVersions", "string", "The reported versions per API server instance."),
    ageColumn(),
  ],
  (o, ctx) => [
    nameOf(o),
    has(o, "status", "commonEncodingVersion") ? str(o, "status", "commonEncodingVersion") : "<unset>",
    listWithMore(list(o, "status", "storageVersions").map((v) => `${str(v, "apiServerID")}=${str(v, "encodingVersion")}`)),
    ageOf(o, ctx),
  ],
);

export const storageVersionMigrationPrinter: Printer = printer(
  // Upstream's Name column here has no name format.
  [column("Name", "string", NAME_DESCRIPTION), column("Resource", "string", "Fully qualified resource to migrate")],
  (o) => {
    const r = (key: string) => str(o, "spec", "resource", key);
    return [nameOf(o), `${r("resource")}.${r("version")}.${r("group")}`];
  },
);
