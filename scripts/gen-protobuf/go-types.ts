// Reads the Go API type declarations (types*.go, ...) next to a generated.proto: for each struct its
// fields in declaration order with their Go type and `json`/`protobuf` tags. The .proto file has
// the wire facts (numbers, scalar types, messages); the Go declaration has what the JSON form of
// the same object looks like (JSON names, omitempty, pointers, inlined embedded structs, order).

export interface GoField {
  /** Go field name; for an embedded field, the type name without package or pointer. */
  name: string;
  embedded: boolean;
  /** The Go type as written, e.g. "*int32", "[]Container", "metav1.ObjectMeta", "map[string]string". */
  type: string;
  /** Undefined when the field has no json tag. */
  json?: { name: string; omitempty: boolean; omitzero: boolean; skip: boolean };
  /** Undefined when the field has no protobuf tag (TypeMeta, Object, ...). */
  protobuf?: { number: number; name?: string; skip: boolean };
}

export interface GoStruct {
  name: string;
  fields: GoField[];
  /** The declaration carries +k8s:deepcopy-gen:interfaces=...runtime.Object (a kind). */
  isObject: boolean;
  /** Marked +k8s:deepcopy-gen:interfaces=...runtime.Object only because of a list. */
  file: string;
}

export interface GoPackage {
  structs: Map<string, GoStruct>;
  /** Non-struct named types: name → underlying type as written ("[]string", "map[string]X", "string"). */
  named: Map<string, string>;
  /** Import alias → import path, over all files of the package. */
  imports: Map<string, string>;
  /** The API group: // +groupName= in doc.go or const GroupName in register.go. */
  groupName?: string;
}

function parseTags(raw: string): Map<string, string> {
  const tags = new Map<string, string>();
  const re = /(\w+):"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) tags.set(m[1]!, m[2]!);
  return tags;
}

function parseField(line: string, where: string): GoField | undefined {
  let tagRaw = "";
  const tick = line.indexOf("`");
  let decl = line;
  if (tick >= 0) {
    const end = line.lastIndexOf("`");
    if (end === tick) throw new Error(`${where}: unterminated tag in ${line.trim()}`);
    tagRaw = line.slice(tick + 1, end);
    decl = line.slice(0, tick);
  }
  decl = decl.replace(/\/\/.*$/, "").trim();
  if (!decl) return undefined;
  const parts = decl.split(/\s+/);
  let name: string;
  let type: string;
  let embedded = false;
  if (parts.length === 1) {
    embedded = true;
    type = parts[0]!;
    name = type.replace(/^\*/, "").replace(/^\w+\./, "");
  } else {
    name = parts[0]!;
    type = parts.slice(1).join("");
  }
  const tags = parseTags(tagRaw);
  // Fields that cannot travel as protobuf (Table cells: []interface{}) have no protobuf tag.
  if (tags.has("protobuf") && (/[{}]/.test(decl) || /\bstruct\b|\binterface\b|\bfunc\b/.test(type)))
    throw new Error(`${where}: unsupported field declaration ${line.trim()}`);
  if (/,/.test(name)) throw new Error(`${where}: multiple names in one field declaration: ${line.trim()}`);
  const field: GoField = { name, embedded, type };
  const json = tags.get("json");
  if (json !== undefined) {
    const [jname, ...opts] = json.split(",");
    field.json = { name: jname ?? "", omitempty: opts.includes("omitempty"), omitzero: opts.includes("omitzero"), skip: jname === "-" && opts.length === 0 };
  }
  const pb = tags.get("protobuf");
  if (pb !== undefined) {
    if (pb === "-") field.protobuf = { number: 0, skip: true };
    else {
      const items = pb.split(",");
      const number = Number(items[1]);
      if (!Number.isInteger(number) || number < 1) throw new Error(`${where}: bad protobuf tag ${pb}`);
      const nameItem = items.find((s) => s.startsWith("name="));
      field.protobuf = { number, skip: false, ...(nameItem ? { name: nameItem.slice(5) } : {}) };
    }
  }
  return field;
}

// Blanks out Go block comments (keeping their newlines, so line numbers stay right).
function withoutBlockComments(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    if (src.startsWith("//", i)) {
      const nl = src.indexOf("\n", i);
      const end = nl < 0 ? src.length : nl;
      out += src.slice(i, end);
      i = end;
    } else if (src.startsWith("/*", i)) {
      const close = src.indexOf("*/", i + 2);
      const end = close < 0 ? src.length : close + 2;
      out += src.slice(i, end).replace(/[^\n]/g, "");
      i = end;
    } else if (src[i] === '"' || src[i] === "`" || src[i] === "'") {
      const q = src[i]!;
      let j = i + 1;
      while (j < src.length && src[j] !== q && !(q !== "`" && src[j] === "\n")) j += q !== "`" && src[j] === "\\" ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += src[i];
      i++;
    }
  }
  return out;
}

/** Parses the Go source files of one API package. */
export function parseGoPackage(files: { path: string; text: string }[]): GoPackage {
  const pkg: GoPackage = { structs: new Map(), named: new Map(), imports: new Map() };
  for (const { path, text: source } of files) {
    const text = withoutBlockComments(source);
    const group = text.match(/^\/\/ \+groupName=(.*)$/m) ?? text.match(/^const GroupName = "([^"]*)"/m);
    if (group) pkg.groupName = group[1]!.trim();
    const importBlock = text.match(/^import \(([\s\S]*?)^\)/m)?.[1] ?? "";
    const singles = [...text.matchAll(/^import (.*)$/gm)].map((m) => m[1]!).filter((l) => l.trim() !== "(");
    for (const l of [...importBlock.split("\n"), ...singles]) {
      const m = l.trim().match(/^(?:([\w.]+)\s+)?"([^"]+)"/);
      if (m) pkg.imports.set(m[1] ?? m[2]!.split("/").pop()!, m[2]!);
    }
    const lines = text.split("\n");
    let comments: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (/^\s*\/\//.test(line)) {
        comments.push(line);
        continue;
      }
      const struct = line.match(/^type (\w+) struct ?\{\s*(\})?\s*$/);
      if (struct) {
        const s: GoStruct = {
          name: struct[1]!,
          fields: [],
          isObject: comments.some((c) => /\+k8s:deepcopy-gen:interfaces=k8s\.io\/apimachinery\/pkg\/runtime\.Object/.test(c)),
          file: path,
        };
        if (!struct[2]) {
          for (i++; i < lines.length && !/^\}/.test(lines[i]!); i++) {
            const l = lines[i]!;
            if (/^\s*(\/\/.*)?$/.test(l)) continue;
            const f = parseField(l, `${path}:${i + 1}`);
            if (f) s.fields.push(f);
          }
        }
        if (pkg.structs.has(s.name)) throw new Error(`${path}: struct ${s.name} declared twice`);
        pkg.structs.set(s.name, s);
      } else {
        const named = line.match(/^type (\w+) (?!struct\b)(\S.*?)\s*$/);
        if (named && !/^(interface|func)\b/.test(named[2]!) && !named[2]!.startsWith("=")) pkg.named.set(named[1]!, named[2]!);
      }
      if (!/^\s*$/.test(line)) comments = [];
    }
  }
  return pkg;
}
