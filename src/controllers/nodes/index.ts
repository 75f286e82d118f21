// The node lifecycle controller.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function nodeControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
