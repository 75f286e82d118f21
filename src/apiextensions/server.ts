// The apiextensions part of the API server (upstream apiextensions-apiserver, which kube-apiserver
// runs in process): the registrar serving custom resources, the controllers keeping CRD status,
// the OpenAPI schemas of served custom resources and the conversion webhooks they call.
import type { LoopbackDeps } from "../client/loopback-client.js";
import { LoopbackClient } from "../client/loopback-client.js";
import type { CustomResourceKindSchemas } from "../openapi/service.js";
import type { ResourceDefinition } from "../registry/definition.js";
import type { Registry } from "../registry/registry.js";
import type { StorageSet } from "../registry/storage-set.js";
import { resolveServiceURL } from "../server/service-resolver.js";
import { resourcePrefix } from "../storage/keys.js";
import type { Clock } from "../util/clock.js";
import { createConverter } from "./conversion/index.js";
import { APIExtensionsController } from "./controller.js";
import { CRD_GROUP, isConditionTrue } from "./crd.js";
import { crdKindSchemas } from "./openapi.js";
import { CRDRegistrar } from "./registrar.js";

export class APIExtensionsServer {
  readonly registrar: CRDRegistrar;
  private controller: APIExtensionsController | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly storage: StorageSet,
    private readonly clock: Clock,
  ) {
    this.registrar = new CRDRegistrar(registry, storage, {
      webhookConverter: (crd) => createConverter(crd, { resolveService: (ref) => resolveServiceURL(storage, ref) }),
      // creates are refused from the moment the CRD is marked for deletion
      isTerminating: (crd) => {
        const key = `${resourcePrefix(CRD_GROUP, "customresourcedefinitions")}${crd.metadata.name}`;
        const live = storage.cacherOf(CRD_GROUP, "customresourcedefinitions")?.get(key);
        return !!live?.metadata.deletionTimestamp || isConditionTrue(crd, "Terminating");
      },
    });
  }

  /** The published schemas of a served custom resource (undefined for other resources). */
  schemasOf(def: ResourceDefinition): CustomResourceKindSchemas | undefined {
    const crd = this.registrar.crdOf(def);
    return crd ? crdKindSchemas(crd, def.version) : undefined;
  }

  /** Serves every stored CRD, then follows changes; writes as kube-apiserver does. */
  async start(deps: LoopbackDeps, gitVersion: string): Promise<void> {
    const client = new LoopbackClient(deps, {
      user: { username: "system:apiserver", groups: ["system:masters", "system:authenticated"] },
      userAgent: `kube-apiserver/${gitVersion} (linux/amd64) kubernetes/kubefacade`,
    });
    this.controller = new APIExtensionsController(this.storage, this.registry, this.registrar, client, this.clock);
    await this.controller.start();
  }

  stop(): void {
    this.controller?.stop();
  }

  /** Resolves once every CRD change seen so far is handled (tests). */
  async idle(): Promise<void> {
    await this.controller?.idle();
  }
}
