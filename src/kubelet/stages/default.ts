// The default pod lifecycle, as data. For each pod and each of its containers the first matching
// stage is the next thing that happens to it. Event texts are upstream's (kubelet 1.33:
// pkg/kubelet/images/image_manager.go, kuberuntime/kuberuntime_container.go and _manager.go).
import type { MatchExpression, Stage } from "./types.js";

const is = (key: string, ...values: (string | boolean)[]): MatchExpression => ({ key, operator: "In", values: values.map(String) });
const not = (key: string, ...values: (string | boolean)[]): MatchExpression => ({ key, operator: "NotIn", values: values.map(String) });

/** Container states in which nothing runs yet (or any more). */
const NOT_RUNNING = ["new", "pulled", "pullError", "pullBackOff", "crashBackOff"];

export const DEFAULT_STAGES: readonly Stage[] = [
  // ---- pod ---------------------------------------------------------------------------------------
  {
    name: "pod-stop-sandbox",
    resource: "pod",
    selector: { matchExpressions: [is("pod.terminal", true), is("pod.sandbox", "ready")] },
    next: { action: "stopSandbox" },
  },
  {
    name: "pod-delete",
    resource: "pod",
    selector: { matchExpressions: [is("pod.deleting", true), is("pod.terminal", true), not("pod.sandbox", "ready"), is("pod.finalDeleteRequested", false)] },
    next: { action: "deletePod" },
  },
  {
    name: "pod-admit",
    resource: "pod",
    selector: { matchExpressions: [is("pod.admitted", false), is("pod.deleting", false)] },
    next: { action: "admit" },
  },
  {
    name: "pod-create-sandbox",
    resource: "pod",
    selector: { matchExpressions: [is("pod.admitted", true), is("pod.sandbox", "none"), is("pod.deleting", false), is("pod.terminal", false)] },
    delay: { durationMilliseconds: 100, jitterDurationMilliseconds: 200 },
    next: { action: "createSandbox" },
  },

  // ---- stopping ------------------------------------------------------------------------------------
  {
    name: "container-kill",
    resource: "container",
    selector: { matchExpressions: [is("pod.deleting", true), is("container.state", "running"), is("container.stopping", false)] },
    next: { action: "signalTerm", events: [{ type: "Normal", reason: "Killing", message: "Stopping container {{container.name}}" }] },
  },
  {
    name: "container-kill-sidecar",
    resource: "container",
    selector: { matchExpressions: [is("pod.mainDone", true), is("container.type", "sidecar"), is("container.state", "running"), is("container.stopping", false)] },
    next: { action: "signalTerm", events: [{ type: "Normal", reason: "Killing", message: "Stopping container {{container.name}}" }] },
  },
  {
    name: "container-stopped",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "running"), is("container.stopping", true)] },
    delay: { durationFrom: "container.stopRemainingMs" },
    next: { action: "stopContainer" },
  },
  {
    name: "container-abandon",
    resource: "container",
    selector: { matchExpressions: [is("pod.deleting", true), is("container.state", "pulling", ...NOT_RUNNING)] },
    next: { action: "abandonContainer" },
  },
  {
    name: "container-abandon-done",
    resource: "container",
    selector: { matchExpressions: [is("pod.mainDone", true), is("container.state", ...NOT_RUNNING)] },
    next: { action: "abandonContainer" },
  },

  // ---- images ----------------------------------------------------------------------------------------
  {
    name: "container-invalid-image",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "new"), is("container.turn", true), is("pod.sandbox", "ready"), is("container.imageValid", false)] },
    next: {
      action: "invalidImage",
      events: [
        { type: "Warning", reason: "InspectFailed", message: "{{message}}" },
        { type: "Warning", reason: "Failed", message: "Error: InvalidImageName" },
      ],
    },
  },
  {
    name: "container-image-never-pull",
    resource: "container",
    selector: {
      matchExpressions: [is("container.state", "new"), is("container.turn", true), is("pod.sandbox", "ready"), is("container.pullPolicy", "Never"), is("container.imagePresent", false)],
    },
    next: {
      action: "imageNeverPull",
      events: [
        { type: "Warning", reason: "ErrImageNeverPull", message: 'Container image "{{image}}" is not present with pull policy of Never' },
        { type: "Warning", reason: "Failed", message: "Error: ErrImageNeverPull" },
      ],
    },
  },
  {
    name: "container-image-present",
    resource: "container",
    selector: {
      matchExpressions: [is("container.state", "new"), is("container.turn", true), is("pod.sandbox", "ready"), is("container.imagePresent", true), not("container.pullPolicy", "Always")],
    },
    next: { action: "imagePresent", events: [{ type: "Normal", reason: "Pulled", message: 'Container image "{{image}}" already present on machine' }] },
  },
  {
    name: "container-pull",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "new"), is("container.turn", true), is("pod.sandbox", "ready"), not("container.pullPolicy", "Never")] },
    next: { action: "pullImage", events: [{ type: "Normal", reason: "Pulling", message: 'Pulling image "{{image}}"' }] },
  },
  {
    name: "container-pulled",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "pulling"), is("container.pullFails", false)] },
    delay: { durationFrom: "container.pullMs", jitterDurationMilliseconds: 300 },
    next: {
      action: "pullSucceeded",
      events: [
        {
          type: "Normal",
          reason: "Pulled",
          message: 'Successfully pulled image "{{image}}" in {{duration}} ({{durationWithWaiting}} including waiting). Image size: {{size}} bytes.',
        },
      ],
    },
  },
  {
    name: "container-pull-failed",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "pulling"), is("container.pullFails", true)] },
    delay: { durationFrom: "container.pullMs", jitterDurationMilliseconds: 300 },
    next: {
      action: "pullFailed",
      events: [
        { type: "Warning", reason: "Failed", message: 'Failed to pull image "{{image}}": {{error}}' },
        { type: "Warning", reason: "Failed", message: "Error: ErrImagePull" },
      ],
    },
  },
  {
    name: "container-pull-backoff",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "pullError"), is("container.waitingReason", "ErrImagePull")] },
    delay: { durationFrom: "container.errImagePullRemainingMs" },
    next: {
      action: "pullBackOff",
      events: [
        { type: "Normal", reason: "BackOff", message: 'Back-off pulling image "{{image}}"' },
        { type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff" },
      ],
    },
  },
  {
    name: "container-pull-retry",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "pullBackOff")] },
    delay: { durationFrom: "container.pullBackOffRemainingMs" },
    next: { action: "pullImage", events: [{ type: "Normal", reason: "Pulling", message: 'Pulling image "{{image}}"' }] },
  },

  // ---- running ---------------------------------------------------------------------------------------
  {
    name: "container-start",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "pulled"), is("pod.deleting", false)] },
    delay: { durationMilliseconds: 50, jitterDurationMilliseconds: 50 },
    next: {
      action: "startContainer",
      events: [
        { type: "Normal", reason: "Created", message: "Created container: {{container.name}}" },
        { type: "Normal", reason: "Started", message: "Started container {{container.name}}" },
      ],
    },
  },
  {
    name: "container-startup-probe",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "running"), is("container.started", false), is("container.stopping", false)] },
    delay: { durationFrom: "container.startedRemainingMs" },
    next: { action: "markStarted" },
  },
  {
    name: "container-ready",
    resource: "container",
    selector: {
      matchExpressions: [
        is("container.state", "running"),
        is("container.started", true),
        is("container.ready", false),
        not("container.type", "init"),
        is("container.readyNever", false),
        is("container.stopping", false),
      ],
    },
    delay: { durationFrom: "container.readyRemainingMs" },
    next: { action: "markReady" },
  },
  {
    name: "container-exit",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "running"), is("container.finite", true), is("container.stopping", false)] },
    delay: { durationFrom: "container.runRemainingMs" },
    next: { action: "exitContainer" },
  },

  // ---- restarts ----------------------------------------------------------------------------------------
  {
    name: "container-restart",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "exited"), is("container.shouldRestart", true), is("container.inCrashBackOff", false)] },
    // the exit is noticed at the next PLEG relist
    delay: { durationMilliseconds: 1000 },
    next: { action: "restartContainer" },
  },
  {
    name: "container-crashloop",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "exited"), is("container.shouldRestart", true), is("container.inCrashBackOff", true)] },
    delay: { durationMilliseconds: 1000 },
    next: {
      action: "crashBackOff",
      events: [{ type: "Warning", reason: "BackOff", message: "Back-off restarting failed container {{container.name}} in pod {{pod}}" }],
    },
  },
  {
    name: "container-crashloop-retry",
    resource: "container",
    selector: { matchExpressions: [is("container.state", "crashBackOff"), is("pod.deleting", false)] },
    delay: { durationFrom: "container.crashBackOffRemainingMs" },
    next: { action: "restartContainer" },
  },
];

export const STAGE_ACTIONS_NEEDING_CONTAINER = new Set([
  "pullImage",
  "pullSucceeded",
  "pullFailed",
  "pullBackOff",
  "imagePresent",
  "imageNeverPull",
  "invalidImage",
  "startContainer",
  "markStarted",
  "markReady",
  "exitContainer",
  "signalTerm",
  "stopContainer",
  "abandonContainer",
  "crashBackOff",
  "restartContainer",
]);
