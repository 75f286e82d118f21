// Generates src/protobuf/messages.ts: the wire table the protobuf request decoder uses, derived
// from upstream Kubernetes API definitions read from a directory given on the command line.
//
//   npx tsx scripts/gen-protobuf/main.ts <input-dir> [--source "<description>"] [--check] [--out <file>]
//
// --source defaults to <input-dir>/SOURCE (written by prepare-inputs.sh: repositories, tag, commits).
//
// <input-dir> holds the upstream files under their Go import paths, e.g.
//   <input-dir>/k8s.io/api/apps/v1/{generated.proto,types.go,doc.go,register.go}
//   <input-dir>/k8s.io/apimachinery/pkg/apis/meta/v1/{generated.proto,types.go,doc.go}
//   <input-dir>/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/{generated.proto,types*.go,doc.go}
//   <input-dir>/k8s.io/apimachinery/pkg/{api/resource,util/intstr,runtime}/generated.proto
// (scripts/gen-protobuf/prepare-inputs.sh lays that out from git checkouts at a tag). Nothing from
// it is copied into the tree: the output is our own compact table.
//
// From generated.proto: field numbers, wire types, message references, repeated and map fields.
// From the package's Go sources (types*.go, ...): for each field, the JSON name, omitempty, whether the Go field is a pointer,
// whether an embedded struct is inlined in JSON, and the order of fields in the JSON encoding.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseProto, SCALAR_TYPES, type ProtoFile, type ProtoMessage } from "./proto-parser.js";
import { parseGoPackage, type GoPackage } from "./go-types.js";
import { NAME_PREFIXES, PACKAGES, SPECIAL_TYPES } from "./facts.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const check = argv.includes("--check");
if (check) argv.splice(argv.indexOf("--check"), 1);
const sourceOpt = opt("--source");
const out = path.resolve(opt("--out") ?? path.join(root, "src", "protobuf", "messages.ts"));
const input = argv[0];
if (!input || argv.length !== 1) {
  console.error("usage: tsx scripts/gen-protobuf/main.ts <input-dir> [--source <description>] [--check] [--out <file>]");
  process.exit(2);
}
const inputDir = path.resolve(input);
const sourceFile = path.join(inputDir, "SOURCE");
const sourceLines = sourceOpt
  ? [sourceOpt]
  : existsSync(sourceFile)
    ? readFileSync(sourceFile, "utf8").split("\n").filter(Boolean)
    : ["unspecified sources"];

// ---- read every generated.proto under the input directory -----------------------------------
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}
const protoFiles = new Map<string, ProtoFile>(); // by import path ("k8s.io/api/core/v1/generated.proto")
for (const file of walk(inputDir).filter((f) => f.endsWith(".proto"))) {
  const rel = path.relative(inputDir, file).split(path.sep).join("/");
  protoFiles.set(rel, parseProto(readFileSync(file, "utf8"), rel));
}
const messages = new Map<string, ProtoMessage>();
for (const f of protoFiles.values()) for (const m of f.messages) messages.set(m.fullName, m);

const goPackages = new Map<string, GoPackage>(); // by directory ("k8s.io/api/core/v1")
function goPackage(dir: string): GoPackage {
  let pkg = goPackages.get(dir);
  if (!pkg) {
    const abs = path.join(inputDir, dir);
    const files = existsSync(abs)
      ? readdirSync(abs)
          .filter((n) => n.endsWith(".go") && !/_test\.go$|^zz_generated|\.pb\.go$|swagger_doc/.test(n))
          .map((n) => ({ path: `${dir}/${n}`, text: readFileSync(path.join(abs, n), "utf8") }))
      : [];
    pkg = parseGoPackage(files);
    goPackages.set(dir, pkg);
  }
  return pkg;
}

function shortName(full: string): string {
  for (const prefix of NAME_PREFIXES) if (full.startsWith(prefix)) return full.slice(prefix.length);
  return full;
}
const dirOfMessage = (m: ProtoMessage) => path.posix.dirname(m.file);

// ---- walk the messages reachable from the covered packages ----------------------------------
const warnings: string[] = [];
const nameDiffs: string[] = [];
type Row = [number, string, string, string];
const table = new Map<string, Row[] | string>();
const shortToFull = new Map<string, string>();
const queue: ProtoMessage[] = [];
const enqueue = (full: string) => {
  const m = messages.get(full);
  if (!m) throw new Error(`message ${full} is referenced but no input .proto defines it`);
  const short = shortName(full);
  const prev = shortToFull.get(short);
  if (prev && prev !== full) throw new Error(`short name ${short} is ambiguous: ${prev}, ${full}`);
  if (prev) return;
  shortToFull.set(short, full);
  queue.push(m);
};

const kinds: Record<string, Record<string, string>> = {};
for (const dir of PACKAGES) {
  const file = protoFiles.get(`${dir}/generated.proto`);
  if (!file) throw new Error(`${dir}/generated.proto is missing from ${inputDir}`);
  const go = goPackage(dir);
  if (go.groupName === undefined) throw new Error(`${dir}/doc.go has no +groupName and register.go no GroupName`);
  const version = path.posix.basename(dir);
  const apiVersion = go.groupName ? `${go.groupName}/${version}` : version;
  const gv: Record<string, string> = (kinds[apiVersion] = {});
  for (const m of file.messages) {
    enqueue(m.fullName);
    if (go.structs.get(m.name)?.isObject) gv[m.name] = shortName(m.fullName);
  }
}

const typeRef = (t: string) => (SCALAR_TYPES.has(t) ? t : shortName(t));

while (queue.length) {
  const m = queue.shift()!;
  const short = shortName(m.fullName);
  for (const f of m.fields) {
    if (!SCALAR_TYPES.has(f.type)) enqueue(f.type);
    if (f.keyType && f.keyType !== "string") throw new Error(`${short}.${f.name}: map keys of type ${f.keyType} are not supported`);
  }
  const special = SPECIAL_TYPES[short];
  if (special) {
    const got = Object.fromEntries(m.fields.map((f) => [f.number, `${f.label} ${typeRef(f.type)} ${f.name}`]));
    if (JSON.stringify(got) !== JSON.stringify(special.fields))
      throw new Error(`${short}: proto fields ${JSON.stringify(got)} differ from what the ${special.codec} codec expects ${JSON.stringify(special.fields)}`);
    table.set(short, special.codec);
    continue;
  }
  const goPkg = goPackage(dirOfMessage(m));
  const named = goPkg.named.get(m.name);
  let go = goPkg.structs.get(m.name);
  // `type List metav1.List`: the struct of another package under a local name.
  const alias = named?.match(/^(\w+)\.(\w+)$/);
  if (!go && alias && goPkg.imports.has(alias[1]!)) go = goPackage(goPkg.imports.get(alias[1]!)!).structs.get(alias[2]!);
  if (!go) {
    // A Go named slice type (ExtraValue []string, Verbs []string) travels as a message whose only
    // field is `repeated <elem> items = 1`; its JSON form is the bare array.
    const only = m.fields[0];
    if (named?.startsWith("[]") && m.fields.length === 1 && only!.label === "repeated" && only!.name === "items" && only!.number === 1) {
      table.set(short, `items:${typeRef(only!.type)}`);
      continue;
    }
    throw new Error(`${short}: no Go struct ${m.name} in ${dirOfMessage(m)} (named type: ${named ?? "none"})`);
  }
  const byNumber = new Map(m.fields.map((f) => [f.number, f]));
  const rows: Row[] = [];
  const seen = new Set<number>();
  for (const gf of go.fields) {
    if (!gf.protobuf || gf.protobuf.skip) {
      if (gf.json?.skip || gf.name === "TypeMeta") continue;
      warnings.push(`${short}.${gf.name}: Go field without a protobuf field (not decodable, left out)`);
      continue;
    }
    const pf = byNumber.get(gf.protobuf.number);
    if (!pf) throw new Error(`${short}.${gf.name}: protobuf tag ${gf.protobuf.number} has no field in the .proto`);
    if (gf.protobuf.name !== undefined && gf.protobuf.name !== pf.name)
      throw new Error(`${short}: field ${gf.protobuf.number} is ${pf.name} in the .proto but ${gf.protobuf.name} in the Go tag`);
    seen.add(pf.number);
    if (gf.json?.omitzero) throw new Error(`${short}.${gf.name}: omitzero is not supported`);
    const inline = gf.embedded && (!gf.json || gf.json.name === "");
    if (inline && (gf.type.startsWith("*") || pf.label !== "optional" || SCALAR_TYPES.has(pf.type)))
      throw new Error(`${short}.${gf.name}: only embedded non-pointer structs can be inlined`);
    let jsonName: string;
    if (gf.json?.skip) continue;
    if (inline) jsonName = "";
    else jsonName = gf.json?.name || gf.name;
    if (!inline && jsonName !== pf.name) nameDiffs.push(`${short}.${pf.name} → ${jsonName}`);
    const pointer = gf.type.startsWith("*");
    if (pointer && pf.label !== "optional") throw new Error(`${short}.${gf.name}: pointer to a repeated field`);
    let flags = "";
    if (pf.label === "repeated") flags += "r";
    if (pf.label === "map") flags += "m";
    if (gf.json?.omitempty) flags += "o";
    if (pointer) flags += "p";
    if (inline) flags += "i";
    rows.push([pf.number, jsonName, typeRef(pf.type), flags]);
  }
  for (const pf of m.fields)
    if (!seen.has(pf.number)) {
      warnings.push(`${short}.${pf.name} (${pf.number}): no Go field; decoded under its proto name`);
      rows.push([pf.number, pf.name, typeRef(pf.type), (pf.label === "repeated" ? "r" : pf.label === "map" ? "m" : "") + "o"]);
    }
  table.set(short, rows);
}

// ---- write ------------------------------------------------------------------------------------
const names = [...table.keys()].sort();
let fieldCount = 0;
const lines = names.map((n) => {
  const e = table.get(n)!;
  if (typeof e === "string") return `  ${JSON.stringify(n)}: ${JSON.stringify(e)},`;
  fieldCount += e.length;
  return `  ${JSON.stringify(n)}: [${e.map((r) => JSON.stringify(r)).join(", ")}],`;
});
const kindLines = Object.keys(kinds)
  .sort()
  .map((gv) => {
    const ks = Object.keys(kinds[gv]!).sort();
    return `  ${JSON.stringify(gv)}: {\n${ks.map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(kinds[gv]![k])},`).join("\n")}\n  },`;
  });
const text = `// GENERATED by scripts/gen-protobuf/main.ts. Do not edit. Derived from:
${sourceLines.map((l) => `//   ${l}`).join("\n")}
// The protobuf wire table of the built-in kinds: message → fields in the order of their JSON
// encoding, each [field number, JSON name ("" = inlined embedded struct), type, flags].
// type: a scalar (string, int32, int64, bool, double, bytes, ...) or a message name.
// flags: r repeated, m map<string, type>, o omitempty, p Go pointer, i inlined in the parent.
// A string instead of fields names a hand-written codec (time, quantity, items:<type>, ...).
import type { MessageTable } from "./table.js";

export const SOURCE = ${JSON.stringify(sourceLines.join(", "))};

export const MESSAGES: MessageTable = {
${lines.join("\n")}
};

/** apiVersion → kind → message. */
export const KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
${kindLines.join("\n")}
};
`;

if (check) {
  const current = existsSync(out) ? readFileSync(out, "utf8") : "";
  if (current !== text) {
    console.error(`${path.relative(root, out)} is out of date; regenerate it with scripts/gen-protobuf/main.ts`);
    process.exit(1);
  }
} else writeFileSync(out, text);
console.log(
  `${path.relative(root, out)}: ${names.length} messages, ${fieldCount} fields, ` +
    `${Object.values(kinds).reduce((n, k) => n + Object.keys(k).length, 0)} kinds in ${Object.keys(kinds).length} versions, ` +
    `${(text.length / 1024).toFixed(0)} KiB`,
);
for (const w of warnings) console.log(`  warning: ${w}`);
console.log(`  JSON names that differ from proto names: ${nameDiffs.length ? nameDiffs.join(", ") : "none"}`);
