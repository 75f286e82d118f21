// batch/v1 printers: Job (STATUS, COMPLETIONS, DURATION) and CronJob.
import { humanDuration, translateTimestampSince } from "../../apimachinery/duration.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { Printer } from "../printer.js";
import {
  ageColumn,
  ageOf,
  boolPtr,
  column,
  containerCells,
  containersColumn,
  findCondition,
  formatLabelSelector,
  get,
  has,
  imagesColumn,
  int,
  list,
  nameColumn,
  nameOf,
  parseTimestamp,
  printer,
  str,
} from "./util.js";

const GO_ZERO_TIME = Date.parse("0001-01-01T00:00:00Z");

/** Whether the first condition of a type is True (upstream hasJobCondition). */
function hasJobCondition(job: KubeObject, type: string): boolean {
  return str(findCondition(list(job, "status", "conditions"), type), "status") === "True";
}

/** The STATUS cell of a Job as of 1.33. */
export function jobStatus(job: KubeObject): string {
  if (hasJobCondition(job, "Complete")) return "Complete";
  if (hasJobCondition(job, "Failed")) return "Failed";
  if (has(job, "metadata", "deletionTimestamp")) return "Terminating";
  if (hasJobCondition(job, "Suspended")) return "Suspended";
  if (hasJobCondition(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

/** The COMPLETIONS cell: `1/3`, or for work-queue jobs `0/1` / `0/1 of 5`. */
export function jobCompletions(job: KubeObject): string {
  const succeeded = int(job, "status", "succeeded");
  if (has(job, "spec", "completions")) return `${succeeded}/${int(job, "spec", "completions")}`;
  const parallelism = int(job, "spec", "parallelism");
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** The DURATION cell: running time so far, or start to completion; "" before the job starts. */
export function jobDuration(job: KubeObject, now: number): string {
  // A set but zero time still counts as set (a non-nil pointer in Go).
  if (!has(job, "status", "startTime")) return "";
  const start = parseTimestamp(get(job, "status", "startTime")) ?? GO_ZERO_TIME;
  if (!has(job, "status", "completionTime")) return humanDuration(now - start);
  const end = parseTimestamp(get(job, "status", "completionTime")) ?? GO_ZERO_TIME;
  return humanDuration(end - start);
}


export const jobPrinter: Printer = printer(
  [
    nameColumn(),
    column("Status", "string", "Status of the job."),
    column("Completions", "string", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
    column("Duration", "string", "Time required to complete the job."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  (o, ctx) => {
    const [names, images] = containerCells(list(o, "spec", "template", "spec", "containers"));
    return [
      nameOf(o),
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, ctx.now),
      ageOf(o, ctx),
      names,
      images,
      formatLabelSelector(get(o, "spec", "selector")),
    ];
  },
);

export const cronJobPrinter: Printer = printer(
  [
    nameColumn(),
    column("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    column("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
    column("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
    column("Active", "integer", "A list of pointers to currently running jobs."),
    column("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  (o, ctx) => {
    const jobSpec = get(o, "spec", "jobTemplate", "spec");
    const [names, images] = containerCells(list(jobSpec, "template", "spec", "containers"));
    const lastSchedule = has(o, "status", "lastScheduleTime")
      ? translateTimestampSince(get(o, "status", "lastScheduleTime"), ctx.now)
      : "<none>";
    return [
      nameOf(o),
      str(o, "spec", "schedule"),
      has(o, "spec", "timeZone") ? str(o, "spec", "timeZone") : "<none>",
      boolPtr(get(o, "spec", "suspend")),
      list(o, "status", "active").length,
      lastSchedule,
      ageOf(o, ctx),
      names,
      images,
      formatLabelSelector(get(jobSpec, "selector")),
    ];
  },
);
