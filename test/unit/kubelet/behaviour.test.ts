// What simulated containers do, derived from pod specs and annotations.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.ts";
import { analyseCommand, annotationFor, ANNOTATIONS, DEFAULT_RUN, podBehaviour } from "../../../src/kubelet/behaviour.ts";

const pod = (spec: Record<string, unknown>, meta: Partial<KubeObject["metadata"]> = {}): KubeObject => ({ metadata: { name: "p", namespace: "default", ...meta }, spec });

describe("kubelet behaviour: commands", () => {
  const cases: [string, string[], ReturnType<typeof analyseCommand>][] = [
    ["sleep N", ["sleep", "30"], { finite: true, runMs: 30_000, exitCode: 0, ignoresSigterm: true }],
    ["sleep with unit", ["/bin/sleep", "2m"], { finite: true, runMs: 120_000, exitCode: 0, ignoresSigterm: true }],
    ["sleep infinity", ["sleep", "infinity"], { finite: false, known: true, ignoresSigterm: true }],
    ["true", ["true"], { finite: true, runMs: 0, exitCode: 0, ignoresSigterm: true }],
    ["false", ["/bin/false"], { finite: true, runMs: 0, exitCode: 1, ignoresSigterm: true }],
    ["sh -c sleep; exit", ["sh", "-c", "sleep 3; exit 3"], { finite: true, runMs: 3000, exitCode: 3, ignoresSigterm: true }],
    ["bash -ec chain", ["/bin/bash", "-ec", "echo hi && sleep 1.5 && false"], { finite: true, runMs: 1500, exitCode: 1, ignoresSigterm: true }],
    ["script with newlines", ["sh", "-c", "date\nsleep 2\nexit 0"], { finite: true, runMs: 2000, exitCode: 0, ignoresSigterm: true }],
    ["while true loop", ["sh", "-c", "while true; do echo x; sleep 1; done"], { finite: false, known: true, ignoresSigterm: true }],
    ["unknown script", ["sh", "-c", "python app.py"], { finite: false, known: false, ignoresSigterm: true }],
    ["server", ["nginx", "-g", "daemon off;"], { finite: false, known: true, ignoresSigterm: false }],
    ["unknown program", ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"], { finite: false, known: false, ignoresSigterm: false }],
    ["exit 300 wraps", ["sh", "-c", "exit 300"], { finite: true, runMs: 0, exitCode: 44, ignoresSigterm: true }],
    ["no command", [], { finite: false, known: false, ignoresSigterm: false }],
  ];
  for (const [name, argv, want] of cases) it(name, () => assert.deepEqual(analyseCommand(argv), want));
});

describe("kubelet behaviour: pods", () => {
  it("a plain nginx pod runs until stopped, exits 0 on SIGTERM, pulls always (:latest)", () => {
    const [c] = podBehaviour(pod({ containers: [{ name: "nginx", image: "nginx" }] })).containers;
    assert.equal(c!.runMs, undefined);
    assert.equal(c!.pullPolicy, "Always");
    assert.equal(c!.stopMs, DEFAULT_RUN.stopMs);
    assert.equal(c!.readyAfterMs, 0);
    assert.equal(c!.fieldPath, "spec.containers{nginx}");
    assert.equal(c!.ref?.normalized, "docker.io/library/nginx:latest");
  });
  it("Job pods with an unrecognised command succeed after the default", () => {
    const b = podBehaviour(
      pod({ restartPolicy: "Never", containers: [{ name: "pi", image: "perl", command: ["perl", "-e", "1"] }] }, { ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "pi", uid: "u", controller: true }] }),
    );
    assert.equal(b.ownerKind, "Job");
    assert.equal(b.restartPolicy, "Never");
    assert.equal(b.containers[0]!.runMs, DEFAULT_RUN.jobMs);
    assert.equal(b.containers[0]!.exitCode, 0);
  });
  it("busybox without a command exits at once; with stdin it waits", () => {
    assert.equal(podBehaviour(pod({ containers: [{ name: "b", image: "busybox" }] })).containers[0]!.runMs, 0);
    assert.equal(podBehaviour(pod({ containers: [{ name: "b", image: "busybox", stdin: true, tty: true }] })).containers[0]!.runMs, undefined);
  });
  it("args without a command replace the image's command", () => {
    assert.equal(podBehaviour(pod({ containers: [{ name: "b", image: "busybox", args: ["sleep", "5"] }] })).containers[0]!.runMs, 5000);
  });
  it("init containers, sidecars and regular containers, in order", () => {
    const b = podBehaviour(
      pod({
        initContainers: [
          { name: "init", image: "busybox", command: ["sh", "-c", "run-migrations"] },
          { name: "side", image: "envoy", restartPolicy: "Always" },
        ],
        containers: [{ name: "app", image: "nginx" }],
      }),
    );
    assert.deepEqual(
      b.containers.map((c) => [c.name, c.type, c.index, c.runMs]),
      [
        ["init", "init", 0, DEFAULT_RUN.initMs],
        ["side", "sidecar", 1, undefined],
        ["app", "regular", 0, undefined],
      ],
    );
    assert.equal(b.containers[1]!.fieldPath, "spec.initContainers{side}");
  });
  it("probes: readiness and startup delays", () => {
    const [c] = podBehaviour(
      pod({ containers: [{ name: "w", image: "nginx:1.27", readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: 7 }, startupProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 3 } }] }),
    ).containers;
    assert.equal(c!.readyAfterMs, 7000);
    assert.equal(c!.startedAfterMs, 3000);
    assert.equal(c!.hasReadinessProbe, true);
    assert.equal(c!.pullPolicy, "IfNotPresent");
  });
  it("images that cannot exist fail to pull; the annotation fails named containers", () => {
    const b = podBehaviour(
      pod(
        { containers: [{ name: "a", image: "nginx:doesnotexist" }, { name: "b", image: "nginx" }, { name: "c", image: "redis" }] },
        { annotations: { [ANNOTATIONS.failImagePull]: "c" } },
      ),
    );
    assert.deepEqual(
      b.containers.map((c) => c.pullFails),
      [true, false, true],
    );
  });
  it("annotations override run time, exit code, readiness, pull and termination time", () => {
    const b = podBehaviour(
      pod(
        { containers: [{ name: "web", image: "nginx" }, { name: "log", image: "busybox", command: ["sleep", "100"] }] },
        {
          annotations: {
            [ANNOTATIONS.runSeconds]: "web=5",
            [ANNOTATIONS.exitCode]: "3",
            [ANNOTATIONS.readyAfterSeconds]: "log=never",
            [ANNOTATIONS.pullSeconds]: "0.5",
            [ANNOTATIONS.terminationSeconds]: "12",
          },
        },
      ),
    );
    const [web, log] = b.containers;
    assert.deepEqual([web!.runMs, web!.exitCode, web!.readyAfterMs, web!.pullMs, web!.stopMs], [5000, 3, 0, 500, 12000]);
    assert.deepEqual([log!.runMs, log!.exitCode, log!.readyAfterMs], [100_000, 3, null]);
  });
  it("the exit code annotation alone makes a container finite", () => {
    const [c] = podBehaviour(pod({ containers: [{ name: "a", image: "nginx" }] }, { annotations: { [ANNOTATIONS.exitCode]: "1" } })).containers;
    assert.deepEqual([c!.runMs, c!.exitCode], [DEFAULT_RUN.exitCodeMs, 1]);
  });
  it("annotationFor reads plain and per-container values", () => {
    assert.equal(annotationFor({ k: "7" }, "k", "x"), "7");
    assert.equal(annotationFor({ k: "a=1, b=2" }, "k", "b"), "2");
    assert.equal(annotationFor({ k: "a=1" }, "k", "c"), undefined);
    assert.equal(annotationFor(undefined, "k", "c"), undefined);
  });
});
