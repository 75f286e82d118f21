// Reads the kubernetes-models declaration files (upstream ~1.34) with the TypeScript compiler API:
// per type its description, and per property the description, optional marker and type shape
// (references keep the full upstream name, enums are string literal unions).
import ts from "typescript";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { leadingJsDoc, modelsDescription } from "./jsdoc.js";

export type TypeShape =
  | { kind: "string"; enum?: string[] }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "array"; items: TypeShape }
  | { kind: "map"; values: TypeShape }
  /** A reference by PascalCase alias, e.g. IoK8sApiAppsV1DeploymentStrategy. */
  | { kind: "ref"; alias: string }
  | { kind: "unknown"; text: string };

export interface ModelProperty {
  name: string;
  optional: boolean;
  description?: string;
  type: TypeShape;
  /** String literal value of apiVersion/kind on top-level kinds. */
  literal?: string;
}

export interface ModelType {
  /** PascalCase alias of the upstream definition name, e.g. IoK8sApiAppsV1Deployment. */
  alias: string;
  file: string;
  description?: string;
  /** Interfaces: their properties. Scalar aliases (Time, Quantity) have none. */
  properties?: ModelProperty[];
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "_schemas" && name !== "node_modules") walk(p, out);
    } else if (name.endsWith(".d.ts") && name !== "index.d.ts") out.push(p);
  }
  return out;
}

function shapeOf(node: ts.TypeNode, locals: Map<string, string>): { type: TypeShape; literal?: string } {
  if (node.kind === ts.SyntaxKind.StringKeyword) return { type: { kind: "string" } };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: { kind: "number" } };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: { kind: "boolean" } };
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) {
    return { type: { kind: "string" }, literal: node.literal.text };
  }
  if (ts.isUnionTypeNode(node)) {
    const values: string[] = [];
    for (const t of node.types) {
      if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) values.push(t.literal.text);
      else return { type: { kind: "unknown", text: node.getText() } };
    }
    return { type: { kind: "string", enum: values } };
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === "Array" && node.typeArguments?.length === 1) {
      return { type: { kind: "array", items: shapeOf(node.typeArguments[0]!, locals).type } };
    }
    const local = locals.get(name);
    if (local) return { type: { kind: "ref", alias: local } };
    if (/^IIoK8s/.test(name)) return { type: { kind: "ref", alias: name.slice(1) } };
  }
  if (ts.isTypeLiteralNode(node) && node.members.length === 1) {
    const m = node.members[0]!;
    if (ts.isIndexSignatureDeclaration(m) && m.type) return { type: { kind: "map", values: shapeOf(m.type, locals).type } };
  }
  return { type: { kind: "unknown", text: node.getText() } };
}

function readFile(file: string): ModelType[] {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  // `export type { IX as IIoK8s..., X as IoK8s... }` names the upstream definition.
  const aliases = new Map<string, string>(); // local interface name -> alias
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const local = el.propertyName?.text;
        const exported = el.name.text;
        if (local && /^IIoK8s/.test(exported)) aliases.set(local, exported.slice(1));
      }
    }
  }
  const out: ModelType[] = [];
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) && aliases.has(st.name.text)) {
      const properties: ModelProperty[] = [];
      for (const m of st.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        const name = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
        const { type, literal } = shapeOf(m.type, aliases);
        const description = modelsDescription(leadingJsDoc(text, m));
        properties.push({ name, optional: !!m.questionToken, type, ...(description ? { description } : {}), ...(literal ? { literal } : {}) });
      }
      const description = modelsDescription(leadingJsDoc(text, st));
      out.push({ alias: aliases.get(st.name.text)!, file, properties, ...(description ? { description } : {}) });
    } else if (ts.isTypeAliasDeclaration(st) && aliases.has(st.name.text)) {
      const description = modelsDescription(leadingJsDoc(text, st));
      out.push({ alias: aliases.get(st.name.text)!, file, ...(description ? { description } : {}) });
    }
  }
  return out;
}

/** Every type in kubernetes-models and @kubernetes-models/apimachinery, by alias. */
export function readModels(nodeModules: string): Map<string, ModelType> {
  const files = [
    ...walk(path.join(nodeModules, "kubernetes-models"), []),
    ...walk(path.join(nodeModules, "@kubernetes-models", "apimachinery"), []),
  ];
  const byAlias = new Map<string, ModelType>();
  for (const f of files) for (const t of readFile(f)) if (!byAlias.has(t.alias)) byAlias.set(t.alias, t);
  return byAlias;
}
