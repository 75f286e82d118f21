// Maps the two sources onto upstream definition names. kubernetes-models aliases spell the full
// name in PascalCase (IoK8sApiAppsV1Deployment); client-node class names drop the package
// (V1Deployment, CoreV1EndpointPort). The set of 1.33 types is client-node's.
import type { ClientModel } from "./read-client-node.js";
import type { ModelType } from "./read-models.js";
import { API_PACKAGES, UNVERSIONED_PACKAGES, pascalOf } from "./facts/packages.js";

export interface TypeSource {
  /** Upstream definition name, e.g. io.k8s.api.apps.v1.Deployment. */
  name: string;
  pkg: string;
  version?: string;
  kind: string;
  client?: ClientModel;
  model?: ModelType;
}

const VERSIONED = /^(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Splits a kubernetes-models alias into package, version and kind. */
export function parseAlias(alias: string): { pkg: string; version?: string; kind: string } | undefined {
  for (const p of API_PACKAGES) {
    const pascal = pascalOf(p.pkg);
    if (!alias.startsWith(pascal)) continue;
    const m = alias.slice(pascal.length).match(VERSIONED);
    if (m) return { pkg: p.pkg, version: m[1]!.toLowerCase(), kind: m[2]! };
  }
  for (const p of UNVERSIONED_PACKAGES) {
    const pascal = pascalOf(p.pkg);
    if (alias.startsWith(pascal) && /^[A-Z]/.test(alias.slice(pascal.length))) return { pkg: p.pkg, kind: alias.slice(pascal.length) };
  }
  return undefined;
}

export function definitionName(pkg: string, version: string | undefined, kind: string): string {
  return version ? `${pkg}.${version}.${kind}` : `${pkg}.${kind}`;
}

/** Class names referenced by a client model's attributes (V1Foo in Array<V1Foo> etc.). */
export function referencedClasses(model: ClientModel): string[] {
  const out: string[] = [];
  for (const p of model.properties) for (const m of p.type.matchAll(/\b([A-Z][A-Za-z0-9]*V\d\w*|V\d\w*)\b/g)) out.push(m[1]!);
  return out;
}

export interface Resolution {
  sources: Map<string, TypeSource>;
  /** Client classes whose package could not be determined. */
  unresolved: string[];
  /** kubernetes-models aliases the parser could not place. */
  unknownAliases: string[];
}

export function resolveNames(
  models: Map<string, ModelType>,
  clients: Map<string, ClientModel>,
  apis: Map<string, Set<string>>,
): Resolution {
  const sources = new Map<string, TypeSource>();
  const claimed = new Set<string>();
  const unknownAliases: string[] = [];

  // 1. kubernetes-models types, matched to a client class when 1.33 has them.
  const modelByName = new Map<string, { pkg: string; version?: string; kind: string; model: ModelType }>();
  for (const model of models.values()) {
    const parsed = parseAlias(model.alias);
    if (!parsed) {
      unknownAliases.push(model.alias);
      continue;
    }
    modelByName.set(definitionName(parsed.pkg, parsed.version, parsed.kind), { ...parsed, model });
  }
  const classPrefixOf = new Map<string, string>([...API_PACKAGES, ...UNVERSIONED_PACKAGES].map((p) => [p.pkg, p.classPrefix]));
  // A class matches a model when every 1.33 property is known to the model (guards against
  // V1ResourceClaim of core/v1 being taken for resource.k8s.io/v1 ResourceClaim).
  const fits = (cls: string, model: ModelType) => {
    const known = new Set((model.properties ?? []).map((p) => p.name));
    return clients.get(cls)!.properties.every((p) => known.has(p.baseName));
  };
  const classFor = new Map<string, string>();
  for (const pass of ["prefixed", "plain"] as const) {
    for (const [name, m] of modelByName) {
      if (classFor.has(name)) continue;
      const prefix = classPrefixOf.get(m.pkg) ?? "";
      const ver = m.version ? capital(m.version) : "";
      const cls = pass === "prefixed" ? `${prefix}${ver}${m.kind}` : `${ver}${m.kind}`;
      if ((pass === "plain" && prefix === "") || !clients.has(cls) || claimed.has(cls) || !fits(cls, m.model)) continue;
      claimed.add(cls);
      classFor.set(name, cls);
    }
  }
  for (const [name, m] of modelByName) {
    const cls = classFor.get(name);
    sources.set(name, { name, pkg: m.pkg, ...(m.version ? { version: m.version } : {}), kind: m.kind, model: m.model, ...(cls ? { client: clients.get(cls)! } : {}) });
  }

  // 2. client classes not matched: place them by class prefix, API usage, then by who references them.
  const pkgOfClass = new Map<string, string>();
  for (const s of sources.values()) if (s.client) pkgOfClass.set(s.client.className, s.pkg);
  const parsedClass = (cls: string): { prefix: string; version: string; kind: string } | undefined => {
    const m = cls.match(/^([A-Z][a-z]*?)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/);
    return m ? { prefix: m[1] ?? "", version: m[2]!.toLowerCase(), kind: m[3]! } : undefined;
  };
  for (const cls of clients.keys()) {
    if (claimed.has(cls)) continue;
    const p = parsedClass(cls);
    if (p?.prefix) {
      const pkg = API_PACKAGES.find((x) => x.classPrefix === p.prefix);
      if (pkg) pkgOfClass.set(cls, pkg.pkg);
    }
  }
  for (const [api, used] of apis) {
    const pkg = API_PACKAGES.find((x) => x.apiPrefix && api.startsWith(x.apiPrefix) && VERSIONED.test(api.slice(x.apiPrefix.length) + "X"));
    if (!pkg) continue;
    const version = api.slice(pkg.apiPrefix.length).toLowerCase();
    for (const cls of used) {
      if (claimed.has(cls) || pkgOfClass.has(cls)) continue;
      if (parsedClass(cls)?.version === version) pkgOfClass.set(cls, pkg.pkg);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [cls, model] of clients) {
      const pkg = pkgOfClass.get(cls);
      if (!pkg) continue;
      const version = parsedClass(cls)?.version;
      for (const ref of referencedClasses(model)) {
        if (claimed.has(ref) || pkgOfClass.has(ref) || !clients.has(ref)) continue;
        if (parsedClass(ref)?.version === version) {
          pkgOfClass.set(ref, pkg);
          changed = true;
        }
      }
    }
  }
  // Last resort: a kind name that exists in exactly one package (in another version).
  const pkgsOfKind = new Map<string, Set<string>>();
  for (const s of sources.values()) {
    let set = pkgsOfKind.get(s.kind);
    if (!set) pkgsOfKind.set(s.kind, (set = new Set()));
    set.add(s.pkg);
  }
  for (const cls of clients.keys()) {
    if (claimed.has(cls) || pkgOfClass.has(cls)) continue;
    const p = parsedClass(cls);
    const pkgs = p && pkgsOfKind.get(p.kind);
    if (pkgs?.size === 1) pkgOfClass.set(cls, [...pkgs][0]!);
  }
  const unresolved: string[] = [];
  for (const [cls, client] of clients) {
    if (claimed.has(cls)) continue;
    const pkg = pkgOfClass.get(cls);
    const p = parsedClass(cls);
    if (!pkg || !p) {
      unresolved.push(cls);
      continue;
    }
    const name = definitionName(pkg, p.version, p.kind);
    if (sources.has(name)) {
      unresolved.push(cls);
      continue;
    }
    sources.set(name, { name, pkg, version: p.version, kind: p.kind, client });
  }
  return { sources, unresolved, unknownAliases };
}
