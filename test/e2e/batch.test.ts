// Jobs and CronJobs driven by real kubectl (1.33 and 1.27) against the built server. One server
// per version runs only the lifecycle and batch groups, so the tests play the kubelet (pod status
// written through the status subresource) and stay deterministic; another runs the full control
// plane (scheduler and simulated kubelets on 2 nodes) where Jobs complete by themselves:
// `kubectl wait --for=condition=complete`, Indexed Jobs, `create job --from=cronjob/…`.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Kubectl, eventually, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
const VERSIONS = ["1.33", "1.27"] as const;
for (const v of VERSIONS) kubectlPath(v);

describe("Jobs and CronJobs with kubectl", { concurrency: true }, () => {
  for (const version of VERSIONS) {
    describe(`kubectl ${version} (batch controllers only)`, { concurrency: 1 }, () => {
      let server: ServerProcess;
      let dir: string;
      let k: Kubectl;
      const ns = "batch";
      const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
      /** What a kubelet reports when the pod's container exits. */
      const finish = async (pod: string, exitCode: number) => {
        const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
        const status = {
          phase: exitCode === 0 ? "Succeeded" : "Failed",
          containerStatuses: [
            { name: "main", image: "busybox", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode ? "Error" : "Completed", startedAt: now, finishedAt: now } } },
          ],
        };
        await k.ok(["patch", "pod", pod, "-n", ns, "--subresource=status", "--type=merge", "-p", JSON.stringify({ status })]);
      };
      const podsOf = async (job: string): Promise<Obj[]> => (await json(["get", "pods", "-n", ns, "-l", `batch.kubernetes.io/job-name=${job}`])).items as Obj[];

      before(async () => {
        dir = tempDir(`batch-${version}`);
        const data = path.join(dir, "data");
        mkdirSync(data, { recursive: true });
        server = await startServer({ dataDir: data, args: ["--controllers", "lifecycle,batch"] });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
        await k.ok(["create", "namespace", ns]);
      });
      after(async () => {
        if (server) assert.equal(await server.stop(), 0);
        if (dir) removeDir(dir);
      });

      it("create job: a pod with the Job's labels and finalizer; complete once it succeeds", async () => {
        assert.equal(await k.ok(["create", "job", "hello", "-n", ns, "--image=busybox", "--", "echo", "hi"]), "job.batch/hello created\n");
        const [pod] = await eventually(async () => {
          const p = await podsOf("hello");
          return p.length === 1 ? p : undefined;
        }, 15_000, "the Job's pod");
        const job = await json(["get", "job", "hello", "-n", ns]);
        assert.equal(pod!.metadata.generateName, "hello-");
        assert.deepEqual(pod!.metadata.finalizers, ["batch.kubernetes.io/job-tracking"]);
        assert.equal(pod!.metadata.labels["batch.kubernetes.io/controller-uid"], job.metadata.uid);
        assert.equal(pod!.metadata.labels["job-name"], "hello");
        assert.equal(pod!.metadata.ownerReferences[0].kind, "Job");
        const active = await eventually(async () => {
          const j = await json(["get", "job", "hello", "-n", ns]);
          return j.status?.active === 1 ? j : undefined;
        }, 15_000, "active 1");
        assert.ok(active.status.startTime);
        const get = await k.ok(["get", "job", "hello", "-n", ns]);
        assert.match(get, /^NAME\s+(STATUS\s+)?COMPLETIONS\s+DURATION\s+AGE\nhello\s+(Running\s+)?0\/1\s+\d+s\s+\d+s\n$/);

        await finish(pod!.metadata.name, 0);
        assert.equal(await k.ok(["wait", "--for=condition=complete", "job/hello", "-n", ns, "--timeout=30s"]), "job.batch/hello condition met\n");
        const done = await json(["get", "job", "hello", "-n", ns]);
        assert.deepEqual(done.status.conditions.map((c: Obj) => `${c.type}/${c.reason}`), ["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"]);
        assert.equal(done.status.succeeded, 1);
        assert.ok(done.status.completionTime);
        const after = await json(["get", "pod", pod!.metadata.name, "-n", ns]);
        assert.ok(!after.metadata.finalizers?.length, "finalizer removed once counted");
        assert.match(await k.ok(["get", "job", "hello", "-n", ns]), /\nhello\s+(Complete\s+)?1\/1\s+\d+s\s+\d+s\n$/);
        const ev = await k.ok(["get", "events", "-n", ns, "--field-selector", "involvedObject.kind=Job,involvedObject.name=hello", "-o", "jsonpath={range .items[*]}{.reason}:{.message}{\"\\n\"}{end}"]);
        assert.match(ev, new RegExp(`SuccessfulCreate:Created pod: ${pod!.metadata.name}\n`));
        assert.match(ev, /Completed:Job completed\n/);
        const describe = await k.ok(["describe", "job", "hello", "-n", ns]);
        assert.match(describe, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
      });

      it("a failing Job reaches BackoffLimitExceeded and `wait --for=condition=failed` sees it", async () => {
        await k.ok(["apply", "-f", "-"], {
          input: JSON.stringify({
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: "boom", namespace: ns },
            spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
          }),
        });
        const [pod] = await eventually(async () => {
          const p = await podsOf("boom");
          return p.length === 1 ? p : undefined;
        }, 15_000, "the Job's pod");
        await finish(pod!.metadata.name, 2);
        assert.equal(await k.ok(["wait", "--for=condition=failed", "job/boom", "-n", ns, "--timeout=30s"]), "job.batch/boom condition met\n");
        const j = await json(["get", "job", "boom", "-n", ns]);
        assert.deepEqual(j.status.conditions.map((c: Obj) => `${c.type}/${c.reason}`), ["FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded"]);
        assert.equal(j.status.failed, 1);
      });

      it("a CronJob's schedule fires: a Job named by its minute, lastScheduleTime and active in status", async () => {
        await k.ok(["create", "cronjob", "tick", "-n", ns, "--image=busybox", "--schedule=@every 5s", "--", "date"]);
        const cj = await eventually(async () => {
          const c = await json(["get", "cronjob", "tick", "-n", ns]);
          return c.status?.lastScheduleTime && c.status?.active?.length ? c : undefined;
        }, 30_000, "lastScheduleTime");
        const scheduled = Date.parse(cj.status.lastScheduleTime);
        const jobName = cj.status.active[0].name as string;
        assert.equal(jobName, `tick-${Math.floor(scheduled / 60_000)}`);
        const job = await json(["get", "job", jobName, "-n", ns]);
        assert.equal(job.metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"], cj.status.lastScheduleTime);
        assert.equal(job.metadata.ownerReferences[0].kind, "CronJob");
        assert.equal(job.metadata.ownerReferences[0].uid, cj.metadata.uid);
        const get = await k.ok(["get", "cronjob", "tick", "-n", ns]);
        assert.match(get, /^NAME\s+SCHEDULE\s+(TIMEZONE\s+)?SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ntick\s+@every 5s\s+(<none>\s+)?False\s+1\s+\d+s\s+\d+s\n$/);
        const ev = await k.ok(["get", "events", "-n", ns, "--field-selector", "involvedObject.kind=CronJob,involvedObject.name=tick", "-o", "jsonpath={range .items[*]}{.source.component}:{.reason}:{.message}{\"\\n\"}{end}"]);
        assert.match(ev, new RegExp(`cronjob-controller:SuccessfulCreate:Created job ${jobName}\n`));
        await k.ok(["patch", "cronjob", "tick", "-n", ns, "--type=merge", "-p", '{"spec":{"suspend":true}}']);
      });

      it("create job --from=cronjob: the manual Job runs and the controller reports it as unexpected", async () => {
        assert.equal(await k.ok(["create", "job", "by-hand", "-n", ns, "--from=cronjob/tick"]), "job.batch/by-hand created\n");
        const job = await json(["get", "job", "by-hand", "-n", ns]);
        assert.equal(job.metadata.annotations["cronjob.kubernetes.io/instantiate"], "manual");
        assert.equal(job.metadata.ownerReferences[0].name, "tick");
        await eventually(async () => (await podsOf("by-hand")).length === 1, 15_000, "the manual Job's pod");
        // older kubectl (1.27) sets the owner reference without controller: true, so the CronJob
        // controller does not consider the Job its own, as upstream's does not
        if (job.metadata.ownerReferences[0].controller !== true) {
          assert.equal(version, "1.27");
          return;
        }
        await eventually(
          async () => {
            const ev = await k.ok(["get", "events", "-n", ns, "--field-selector", "involvedObject.kind=CronJob,involvedObject.name=tick,reason=UnexpectedJob", "-o", "jsonpath={.items[*].message}"]);
            return ev.includes("Saw a job that the controller did not create or forgot: by-hand");
          },
          15_000,
          "UnexpectedJob",
        );
      });

      it("ttlSecondsAfterFinished deletes the finished Job", async () => {
        await k.ok(["apply", "-f", "-"], {
          input: JSON.stringify({
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: "brief", namespace: ns },
            spec: { ttlSecondsAfterFinished: 1, template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
          }),
        });
        const [pod] = await eventually(async () => {
          const p = await podsOf("brief");
          return p.length === 1 ? p : undefined;
        }, 15_000, "the Job's pod");
        await finish(pod!.metadata.name, 0);
        await k.ok(["wait", "--for=condition=complete", "job/brief", "-n", ns, "--timeout=30s"]);
        await eventually(
          async () => {
            const r = await k.run(["get", "job", "brief", "-n", ns, "-o", "json"]);
            return r.code !== 0 || !!(JSON.parse(r.stdout) as Obj).metadata.deletionTimestamp;
          },
          15_000,
          "the Job deleted",
        );
      });
    });

    describe(`kubectl ${version} (full control plane)`, { concurrency: 1 }, () => {
      let server: ServerProcess;
      let dir: string;
      let k: Kubectl;
      before(async () => {
        dir = tempDir(`batch-full-${version}`);
        const data = path.join(dir, "data");
        mkdirSync(data, { recursive: true });
        server = await startServer({ dataDir: data, args: ["--nodes", "2"] });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
      });
      after(async () => {
        if (server) assert.equal(await server.stop(), 0);
        if (dir) removeDir(dir);
      });

      it("kubectl wait --for=condition=complete on a Job run by the simulated kubelets", async () => {
        await k.ok(["create", "job", "pi", "--image=busybox", "--", "true"]);
        assert.equal(await k.ok(["wait", "--for=condition=complete", "job/pi", "--timeout=30s"]), "job.batch/pi condition met\n");
        const j = JSON.parse(await k.ok(["get", "job", "pi", "-o", "json"])) as Obj;
        assert.equal(j.status.succeeded, 1);
        const pods = JSON.parse(await k.ok(["get", "pods", "-l", "job-name=pi", "-o", "json"])) as Obj;
        assert.equal(pods.items[0].status.phase, "Succeeded");
        assert.ok(!pods.items[0].metadata.finalizers?.length);
      });

      it("a completed parallel Job of 4 completions", async () => {
        await k.ok(["apply", "-f", "-"], {
          input: JSON.stringify({
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: "par", namespace: "default" },
            spec: { completions: 4, parallelism: 2, completionMode: "Indexed", template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
          }),
        });
        assert.equal(await k.ok(["wait", "--for=condition=complete", "job/par", "--timeout=30s"]), "job.batch/par condition met\n");
        const j = JSON.parse(await k.ok(["get", "job", "par", "-o", "json"])) as Obj;
        assert.equal(j.status.completedIndexes, "0-3");
        assert.equal(j.status.succeeded, 4);
        const pods = ((JSON.parse(await k.ok(["get", "pods", "-l", "job-name=par", "-o", "json"])) as Obj).items as Obj[]);
        assert.deepEqual(pods.map((p) => p.metadata.annotations["batch.kubernetes.io/job-completion-index"]).sort(), ["0", "1", "2", "3"]);
        assert.ok(pods.every((p) => p.status.phase === "Succeeded"));
      });

      it("create job --from=cronjob/x runs the CronJob's template to completion", async () => {
        await k.ok(["create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--", "sh", "-c", "echo backup && sleep 1"]);
        assert.equal(await k.ok(["create", "job", "nightly-manual", "--from=cronjob/nightly"]), "job.batch/nightly-manual created\n");
        assert.equal(await k.ok(["wait", "--for=condition=complete", "job/nightly-manual", "--timeout=30s"]), "job.batch/nightly-manual condition met\n");
        const j = JSON.parse(await k.ok(["get", "job", "nightly-manual", "-o", "json"])) as Obj;
        assert.equal(j.metadata.annotations["cronjob.kubernetes.io/instantiate"], "manual");
        assert.equal(j.metadata.ownerReferences[0].kind, "CronJob");
        assert.equal(j.metadata.ownerReferences[0].name, "nightly");
        assert.deepEqual(j.spec.template.spec.containers[0].command, ["sh", "-c", "echo backup && sleep 1"]);
        assert.equal(j.status.succeeded, 1);
        assert.match(await k.ok(["get", "job", "nightly-manual"]), /\nnightly-manual\s+(Complete\s+)?1\/1\s+\d+s\s+\d+s\n$/);
        const pod = ((JSON.parse(await k.ok(["get", "pods", "-l", "job-name=nightly-manual", "-o", "json"])) as Obj).items as Obj[])[0]!;
        assert.equal(pod.status.phase, "Succeeded");
        const term = pod.status.containerStatuses[0].state.terminated;
        assert.deepEqual([term.exitCode, term.reason], [0, "Completed"]);
        // the pod's events tell the kubelet's story
        const ev = await k.ok(["get", "events", "--field-selector", `involvedObject.name=${pod.metadata.name}`, "-o", "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}"]);
        for (const reason of ["Scheduled", "Pulling", "Pulled", "Created", "Started"]) assert.match(ev, new RegExp(`^${reason}$`, "m"));
      });
    });
  }
});
