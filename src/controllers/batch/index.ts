// The Job, CronJob and TTL-after-finished controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { CronJobController } from "./cronjob-controller.js";
import { JobController } from "./job-controller.js";
import { TTLAfterFinishedController } from "./ttl-after-finished.js";

export function batchControllers(ctx: ControllerContext): Runnable[] {
  return [new JobController(ctx), new CronJobController(ctx), new TTLAfterFinishedController(ctx)];
}
