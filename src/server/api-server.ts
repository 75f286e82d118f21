// Assembles the API server: storage backend, registry of every built-in resource, their watch
// caches and generic stores, admission, authentication, and the bootstrap objects. Start order is
// storage → registry → watch caches → bootstrap; stop drains watches, then closes the store.
import { AdmissionChain } from "../admission/chain.js";
import { admissionPlugins } from "../admission/plugins/index.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { LoopbackDeps } from "../client/loopback-client.js";
import { DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from "../controlplane/context.js";
import type { UserInfo } from "../apimachinery/types.js";
import {
  ServiceAccountTokenAuthenticator,
  TokenAuthenticator,
  UnionAuthenticator,
  X509Authenticator,
  type Authenticator,
  type TokenEntry,
} from "../auth/authenticator.js";
import { ServiceAccountTokens } from "../auth/service-account-tokens.js";
import { restResources, withCustomSubresources } from "../registry/custom/index.js";
import { APIServiceRegistration } from "../registry/builtin/apiregistration/autoregister.js";
import type { ComponentProbe } from "../registry/custom/component-statuses.js";
import { alwaysAllow, type Authorizer } from "../auth/authorizer.js";
import { reviewResources } from "../auth/reviews.js";
import type { DispatchContext } from "../endpoints/dispatcher.js";
import { createOpenApiService, type OpenApiService } from "../openapi/index.js";
import { builtinResources } from "../registry/builtin/index.js";
import { initialStatusOf } from "../registry/builtin/initial-status.js";
import { defaulterFor } from "../registry/defaults/index.js";
import { validationFor } from "../registry/validation/index.js";
import type { ResourceDefinition } from "../registry/definition.js";
import type { Printer } from "../registry/printer.js";
import { printerFor, rowConditionsFor } from "../registry/printers/index.js";
import { Registry } from "../registry/registry.js";
import { StorageSet } from "../registry/storage-set.js";
import type { StorageBackend } from "../storage/backend.js";
import { defaultCacherOptions, type CacherOptions } from "../storage/cacher/cacher.js";
import { Compactor } from "../storage/compactor.js";
import { createBackend } from "../storage/factory.js";
import { realClock, type Clock } from "../util/clock.js";
import { bootstrap } from "./bootstrap.js";
import { APIExtensionsServer } from "../apiextensions/server.js";
import { DEFAULT_KUBERNETES_VERSION, versionInfo, type VersionInfo } from "./version.js";

export interface ApiServerOptions {
  /** "memory:" or "leveldb:<dir>". */
  storage: string;
  clock?: Clock;
  kubernetesVersion?: string;
  tokens?: TokenEntry[];
  /** PEM private key signing service account tokens (default: a key generated for this run). */
  serviceAccountKey?: string;
  /** Address clients reach the server at (for /api and the kubernetes Endpoints). */
  advertiseAddress?: string;
  securePort?: number;
  /** Watches without timeoutSeconds end between this and twice this (seconds). */
  minRequestTimeoutSeconds?: number;
  /** Watch/continue history retained: at least minEvents events and at least minAgeMs of them. */
  history?: { minEvents: number; minAgeMs: number };
  compactionIntervalMs?: number;
  cacher?: Partial<CacherOptions>;
  /** The simulated cluster's shape (nodes, address ranges, CA). */
  cluster?: Partial<ClusterOptions>;
  /** Admission plugins turned off by name (kube-apiserver's --disable-admission-plugins). */
  disableAdmissionPlugins?: string[];
  /** Health of the scheduler, controller manager and store as componentstatuses reports it (default: healthy). */
  componentProbe?: ComponentProbe;
}

/** Attaches upstream's defaulting, API validation and initial status of a built-in kind to its declaration. */
function withDefaultingAndValidation(def: ResourceDefinition): ResourceDefinition {
  const defaulter = def.defaults ?? defaulterFor(def.group, def.version, def.kind);
  const { roundTrip } = def;
  const defaults =
    defaulter && roundTrip
      ? (obj: KubeObject) => {
          defaulter(obj);
          roundTrip(obj);
        }
      : (defaulter ?? roundTrip);
  const validation = def.validation ?? validationFor(def.group, def.kind);
  const initialStatus = def.strategy?.initialStatus ?? initialStatusOf(def.group, def.kind);
  if (!defaults && !validation && !initialStatus) return def;
  return Object.freeze({
    ...def,
    ...(defaults ? { defaults } : {}),
    ...(validation ? { validation } : {}),
    ...(initialStatus ? { strategy: { ...def.strategy, initialStatus } } : {}),
  });
}

export class ApiServer {
  readonly registry = new Registry();
  readonly clock: Clock;
  readonly version: VersionInfo;
  readonly authenticator: Authenticator;
  readonly tokens: TokenAuthenticator;
  readonly serviceAccountTokens: ServiceAccountTokens;
  private readonly serviceAccountAuthenticator: ServiceAccountTokenAuthenticator;
  readonly authorizer: Authorizer = alwaysAllow;
  readonly storage: StorageSet;
  readonly advertiseAddress: string;
  readonly securePort: number;
  readonly openapi: OpenApiService;
  readonly cluster: ClusterOptions;
  private readonly liveWatches = new Set<() => void>();
  private readonly compactor: Compactor;
  private readonly printers = new Map<ResourceDefinition, Printer>();
  private stopping = false;
  /** The aggregator's autoregistration and availability of APIServices (running once started). */
  private apiServices: APIServiceRegistration | undefined;
  /** Serves the custom resources of CRDs and keeps their status. */
  readonly apiExtensions: APIExtensionsServer;
  private dispatch: DispatchContext | undefined;

  private constructor(
    readonly backend: StorageBackend,
    private readonly opts: ApiServerOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.version = versionInfo(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    this.tokens = new TokenAuthenticator(opts.tokens ?? []);
    this.serviceAccountTokens = new ServiceAccountTokens(opts.serviceAccountKey);
    this.serviceAccountAuthenticator = new ServiceAccountTokenAuthenticator(
      this.serviceAccountTokens,
      (ns, name) => this.storage.cacherOf("", "serviceaccounts")?.get(`/registry/core/serviceaccounts/${ns}/${name}`)?.metadata.uid,
      () => this.clock.now(),
    );
    this.authenticator = new UnionAuthenticator([new X509Authenticator(), this.tokens, this.serviceAccountAuthenticator]);
    this.openapi = createOpenApiService(this.registry, {
      serverVersion: this.version.gitVersion,
      customResourceSchema: (def) => this.apiExtensions.schemasOf(def),
    });
    this.advertiseAddress = opts.advertiseAddress ?? "127.0.0.1";
    this.securePort = opts.securePort ?? 6443;
    this.cluster = { ...DEFAULT_CLUSTER_OPTIONS, clusterCA: "", kubernetesVersion: this.version.gitVersion, ...opts.cluster };
    const admission = new AdmissionChain(
      admissionPlugins({
        get: (group, resource, namespace, name) =>
          this.storage.cacherOf(group, resource)?.get(`/registry/${group || "core"}/${resource}/${namespace ? `${namespace}/` : ""}${name}`),
        list: (group, resource, namespace) => this.storage.storeOf(group, resource)?.listCached(namespace ?? "") ?? [],
        clock: this.clock,
        cluster: this.cluster,
      }).filter((p) => !opts.disableAdmissionPlugins?.includes(p.name)),
    );
    const defaults = defaultCacherOptions(this.clock);
    const history = { ...defaults.history, ...opts.history };
    this.storage = new StorageSet(backend, admission, { ...defaults, ...opts.cacher, history });
    this.apiExtensions = new APIExtensionsServer(this.registry, this.storage, this.clock);
    this.compactor = new Compactor(backend, this.clock, {
      intervalMs: opts.compactionIntervalMs ?? 60_000,
      minEvents: history.minEvents,
      minAgeMs: history.minAgeMs,
    });
  }

  static async start(opts: ApiServerOptions): Promise<ApiServer> {
    const clock = opts.clock ?? realClock;
    const backend = createBackend(opts.storage, () => clock.now());
    await backend.open();
    const api = new ApiServer(backend, opts);
    try {
      const custom = { storage: api.storage, tokens: api.serviceAccountTokens, ...(opts.componentProbe ? { componentProbe: opts.componentProbe } : {}) };
      const defs = [
        ...builtinResources().map((d) => withCustomSubresources(withDefaultingAndValidation(d), custom)),
        ...restResources(custom),
        ...reviewResources(api.authorizer, (t) => api.authenticateToken(t)),
      ];
      // storage owners before the served versions bound to them
      for (const def of [...defs.filter((d) => !d.storage), ...defs.filter((d) => d.storage)]) {
        await api.storage.install(def);
        api.registry.add(def);
      }
      await bootstrap(api.storage, api.clock, { advertiseAddress: api.advertiseAddress, securePort: api.securePort });
      await api.apiExtensions.start(api.loopbackDeps, api.version.gitVersion);
      api.apiServices = new APIServiceRegistration(api.registry, api.storage, api.clock);
      await api.apiServices.start();
      api.compactor.start();
      return api;
    } catch (err) {
      api.apiServices?.stop();
      api.apiExtensions.stop();
      api.storage.stop();
      await backend.close();
      throw err;
    }
  }

  /** Resolves once the apiextensions controllers have handled every CRD change seen so far (tests). */
  async crdsSettled(): Promise<void> {
    await this.apiExtensions.idle();
  }

  /** The user a bearer token stands for (TokenReview): static tokens, then service account tokens. */
  authenticateToken(token: string): UserInfo | undefined {
    return this.tokens.authenticate({ headers: { authorization: `Bearer ${token}` } } as never) ?? this.serviceAccountAuthenticator.authenticateToken(token);
  }

  printerFor(def: ResourceDefinition): Printer {
    let p = this.printers.get(def);
    if (!p) {
      p = def.printer ?? { ...printerFor(def.group, def.kind), rowConditions: (o) => rowConditionsFor(def.group, def.kind, o) };
      this.printers.set(def, p);
    }
    return p;
  }

  /** What in-process clients (the control plane) need. */
  get loopbackDeps(): LoopbackDeps {
    return { registry: this.registry, storage: this.storage, schemas: () => this.openapi.schemas, clock: this.clock };
  }

  /** What the dispatcher needs, built once. */
  get dispatchContext(): DispatchContext {
    return (this.dispatch ??= {
      registry: this.registry,
      storage: this.storage,
      clock: this.clock,
      printerFor: (def) => this.printerFor(def),
      schemas: () => this.openapi.schemas,
      watch: {
        minRequestTimeoutSeconds: this.opts.minRequestTimeoutSeconds ?? 1800,
        track: (stop) => {
          if (this.stopping) stop();
          this.liveWatches.add(stop);
          return () => this.liveWatches.delete(stop);
        },
      },
    });
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Ends every open watch stream (clients re-watch elsewhere or after restart). */
  drainWatches(): void {
    this.stopping = true;
    for (const stop of [...this.liveWatches]) stop();
  }

  async stop(): Promise<void> {
    this.drainWatches();
    this.apiServices?.stop();
    this.apiExtensions.stop();
    this.compactor.stop();
    this.storage.stop();
    await this.backend.close();
  }
}
