// Reads the @kubernetes/client-node models (generated from the upstream v1.33.0 spec): per class the
// attributeTypeMap (property names, types, formats), the optional markers and the JSDoc, plus which
// models each API class uses (to place alpha/beta models in their upstream package).
import ts from "typescript";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { clientNodeDescription, leadingJsDoc } from "./jsdoc.js";

export interface ClientAttribute {
  name: string;
  /** JSON name. */
  baseName: string;
  /** TypeScript type as written by the generator: string, number, Date, Array<V1Foo>, { [key: string]: string; } ... */
  type: string;
  format: string;
}

export interface ClientProperty extends ClientAttribute {
  optional: boolean;
  description?: string;
}

export interface ClientModel {
  className: string;
  description?: string;
  properties: ClientProperty[];
}

function modelsDir(nodeModules: string): string {
  return path.join(nodeModules, "@kubernetes", "client-node", "dist", "gen", "models");
}

/** Class JSDoc and per-property JSDoc/optional marker from the .d.ts of one model. */
function readDeclaration(file: string): { description?: string; props: Map<string, { optional: boolean; description?: string }> } {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const props = new Map<string, { optional: boolean; description?: string }>();
  let description: string | undefined;
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st)) continue;
    description = clientNodeDescription(leadingJsDoc(text, st));
    for (const m of st.members) {
      if (!ts.isPropertyDeclaration(m) || m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
      const name = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
      const d = clientNodeDescription(leadingJsDoc(text, m));
      props.set(name, { optional: !!m.questionToken, ...(d ? { description: d } : {}) });
    }
  }
  return { ...(description ? { description } : {}), props };
}

/**
 * The models of the 1.33 spec are the keys of ObjectSerializer's typeMap; the package also ships
 * stale model files of removed APIs (resource.k8s.io/v1alpha2, ...) which are not in it.
 */
function specClasses(dir: string): Set<string> {
  const js = readFileSync(path.join(dir, "ObjectSerializer.js"), "utf8");
  const body = js.slice(js.indexOf("let typeMap = {"));
  return new Set([...body.slice(0, body.indexOf("};")).matchAll(/"(\w+)": \1\b/g)].map((m) => m[1]!));
}

export function readClientNode(nodeModules: string): Map<string, ClientModel> {
  const dir = modelsDir(nodeModules);
  const inSpec = specClasses(dir);
  const out = new Map<string, ClientModel>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".js")).sort()) {
    const className = f.slice(0, -3);
    if (!inSpec.has(className)) continue;
    const js = readFileSync(path.join(dir, f), "utf8");
    const m = js.match(/\.attributeTypeMap = (\[[\s\S]*?\]);/);
    if (!m) continue;
    const attributes = JSON.parse(m[1]!) as ClientAttribute[];
    const decl = readDeclaration(path.join(dir, `${className}.d.ts`));
    out.set(className, {
      className,
      ...(decl.description ? { description: decl.description } : {}),
      properties: attributes.map((a) => {
        const d = decl.props.get(a.name);
        return { ...a, optional: d?.optional ?? true, ...(d?.description ? { description: d.description } : {}) };
      }),
    });
  }
  return out;
}

/** API class prefix (e.g. "CoordinationV1beta1") -> model class names it sends or receives. */
export function readClientApis(nodeModules: string): Map<string, Set<string>> {
  const dir = path.join(nodeModules, "@kubernetes", "client-node", "dist", "gen", "apis");
  const out = new Map<string, Set<string>>();
  for (const f of readdirSync(dir).filter((n) => /Api\.js$/.test(n))) {
    const js = readFileSync(path.join(dir, f), "utf8");
    const used = new Set<string>();
    for (const m of js.matchAll(/ObjectSerializer\.(?:de)?serialize\([^;]*?, "([A-Za-z0-9]+)", ""\)/g)) used.add(m[1]!);
    out.set(f.replace(/Api\.js$/, ""), used);
  }
  return out;
}

/**
 * Model classes a single-object DELETE answers with instead of a Status (upstream stores with
 * ReturnDeletedObject: pods, services, storage classes, ...), read from the API response handlers.
 */
export function readDeleteResponses(nodeModules: string): Set<string> {
  const dir = path.join(nodeModules, "@kubernetes", "client-node", "dist", "gen", "apis");
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => /V\d\w*Api\.js$/.test(n))) {
    const js = readFileSync(path.join(dir, f), "utf8");
    for (const m of js.matchAll(/async (delete(?!Collection)\w+)WithHttpInfo\(response\) \{([\s\S]*?)\n {4}\}/g)) {
      for (const t of m[2]!.matchAll(/"(\w+)", ""\)/g)) if (t[1] !== "V1Status") out.add(t[1]!);
    }
  }
  return out;
}
