// batch/v1 cronjobs (upstream pkg/registry/batch/cronjob).
import { defineResource } from "../../definition.js";
import { asString, nameNotDNSLabelWarning, specOf } from "../strategy-helpers.js";

/** Warning for an update whose schedule still carries TZ/CRON_TZ (create rejects it; upstream's text). */
export const CRONJOB_TZ_WARNING =
  "cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details";

export const cronjobs = defineResource({
  group: "batch",
  version: "v1",
  kind: "CronJob",
  plural: "cronjobs",
  singular: "cronjob",
  namespaced: true,
  shortNames: ["cj"],
  categories: ["all"],
  schema: "io.k8s.api.batch.v1.CronJob",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    warningsOnCreate: (_ctx, cj) => nameNotDNSLabelWarning(cj.metadata.name, "this is used in Pod names and hostnames"),
    warningsOnUpdate: (_ctx, cj) => (asString(specOf(cj).schedule).includes("TZ") ? [CRONJOB_TZ_WARNING] : []),
  },
});
