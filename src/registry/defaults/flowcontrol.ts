// flowcontrol.apiserver.k8s.io/v1 defaulting (pkg/apis/flowcontrol/v1/defaults.go).
import type { KubeObject } from "../../apimachinery/types.js";
import { child, defaultNil, defaultNumber, obj } from "./util.js";

export const DEFAULT_MATCHING_PRECEDENCE = 1000;
export const DEFAULT_NOMINAL_CONCURRENCY_SHARES = 30;
export const DEFAULT_HAND_SIZE = 8;
export const DEFAULT_QUEUES = 64;
export const DEFAULT_QUEUE_LENGTH_LIMIT = 50;

/** SetDefaults_FlowSchemaSpec. */
export function defaultFlowSchema(fs: KubeObject): void {
  const spec = obj(fs.spec);
  if (spec) defaultNumber(spec, "matchingPrecedence", DEFAULT_MATCHING_PRECEDENCE);
}

/** SetDefaults_LimitedPriorityLevelConfiguration, _QueuingConfiguration, _ExemptPriorityLevelConfiguration. */
export function defaultPriorityLevelConfiguration(plc: KubeObject): void {
  const spec = obj(plc.spec);
  const limited = child(spec, "limited");
  if (limited) {
    defaultNil(limited, "nominalConcurrencyShares", DEFAULT_NOMINAL_CONCURRENCY_SHARES);
    defaultNil(limited, "lendablePercent", 0);
    const queuing = child(child(limited, "limitResponse"), "queuing");
    if (queuing) {
      defaultNumber(queuing, "handSize", DEFAULT_HAND_SIZE);
      defaultNumber(queuing, "queues", DEFAULT_QUEUES);
      defaultNumber(queuing, "queueLengthLimit", DEFAULT_QUEUE_LENGTH_LIMIT);
    }
  }
  const exempt = child(spec, "exempt");
  if (exempt) {
    defaultNil(exempt, "nominalConcurrencyShares", 0);
    defaultNil(exempt, "lendablePercent", 0);
  }
}
