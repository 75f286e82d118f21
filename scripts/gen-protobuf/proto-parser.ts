// A parser for the subset of proto2 that go-to-protobuf emits for Kubernetes (generated.proto):
// syntax/package/import/option statements and flat messages of `optional`/`repeated` fields and
// `map<K, V>` fields. Anything else (nested messages, enums, oneofs, groups, extensions) is
// rejected, so a new construct upstream fails the generator instead of being silently dropped.

export const SCALAR_TYPES = new Set([
  "double",
  "float",
  "int32",
  "int64",
  "uint32",
  "uint64",
  "sint32",
  "sint64",
  "fixed32",
  "fixed64",
  "sfixed32",
  "sfixed64",
  "bool",
  "string",
  "bytes",
]);

export interface ProtoField {
  name: string;
  number: number;
  label: "optional" | "repeated" | "map";
  /** Scalar type name, or the fully qualified message name without the leading dot. */
  type: string;
  /** Key type of a map field. */
  keyType?: string;
}

export interface ProtoMessage {
  /** Fully qualified, e.g. "k8s.io.api.core.v1.Pod". */
  fullName: string;
  pkg: string;
  name: string;
  fields: ProtoField[];
  file: string;
}

export interface ProtoFile {
  path: string;
  pkg: string;
  imports: string[];
  goPackage?: string;
  messages: ProtoMessage[];
}

function tokenize(src: string, file: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith("//", i)) {
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) throw new Error(`${file}: unterminated block comment`);
      i = end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      if (j >= src.length) throw new Error(`${file}: unterminated string`);
      tokens.push(src.slice(i, j + 1));
      i = j + 1;
    } else if (/[A-Za-z0-9_.]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_.]/.test(src[j]!)) j++;
      tokens.push(src.slice(i, j));
      i = j;
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens;
}

export function parseProto(src: string, file: string): ProtoFile {
  const t = tokenize(src, file);
  let p = 0;
  const peek = () => t[p];
  const next = () => {
    if (p >= t.length) throw new Error(`${file}: unexpected end of file`);
    return t[p++]!;
  };
  const expect = (tok: string) => {
    const got = next();
    if (got !== tok) throw new Error(`${file}: expected ${JSON.stringify(tok)}, got ${JSON.stringify(got)} (token ${p})`);
  };
  const unquote = (s: string) => {
    if (!/^["']/.test(s)) throw new Error(`${file}: expected a string, got ${s}`);
    return s.slice(1, -1);
  };
  const out: ProtoFile = { path: file, pkg: "", imports: [], messages: [] };
  const rawMessages: { name: string; fields: (Omit<ProtoField, "type" | "keyType"> & { rawType: string; rawKey?: string })[] }[] = [];
  while (p < t.length) {
    const kw = next();
    switch (kw) {
      case "syntax": {
        expect("=");
        const v = unquote(next());
        if (v !== "proto2") throw new Error(`${file}: syntax ${v} is not supported`);
        expect(";");
        break;
      }
      case "package":
        out.pkg = next();
        expect(";");
        break;
      case "import":
        if (peek() === "public" || peek() === "weak") next();
        out.imports.push(unquote(next()));
        expect(";");
        break;
      case "option": {
        const name = next();
        expect("=");
        const value = next();
        expect(";");
        if (name === "go_package") out.goPackage = unquote(value);
        break;
      }
      case "message": {
        const name = next();
        expect("{");
        const fields: (typeof rawMessages)[number]["fields"] = [];
        while (peek() !== "}") {
          const label = next();
          if (label === "optional" || label === "repeated" || label === "required") {
            const rawType = next();
            const fname = next();
            expect("=");
            const number = Number(next());
            if (peek() === "[") throw new Error(`${file}: field options are not supported (${name}.${fname})`);
            expect(";");
            if (label === "required") throw new Error(`${file}: required fields are not supported (${name}.${fname})`);
            fields.push({ name: fname, number, label, rawType });
          } else if (label === "map") {
            expect("<");
            const rawKey = next();
            expect(",");
            const rawType = next();
            expect(">");
            const fname = next();
            expect("=");
            const number = Number(next());
            expect(";");
            fields.push({ name: fname, number, label: "map", rawType, rawKey });
          } else {
            throw new Error(`${file}: unsupported construct ${JSON.stringify(label)} in message ${name}`);
          }
        }
        expect("}");
        rawMessages.push({ name, fields });
        break;
      }
      case ";":
        break;
      default:
        throw new Error(`${file}: unsupported top-level construct ${JSON.stringify(kw)}`);
    }
  }
  const resolve = (raw: string) => {
    if (SCALAR_TYPES.has(raw)) return raw;
    if (raw.startsWith(".")) return raw.slice(1);
    return `${out.pkg}.${raw}`;
  };
  for (const m of rawMessages) {
    const numbers = new Set<number>();
    const fields = m.fields.map((f) => {
      if (!Number.isInteger(f.number) || f.number < 1 || f.number > 536870911) throw new Error(`${file}: bad field number in ${m.name}.${f.name}`);
      if (numbers.has(f.number)) throw new Error(`${file}: duplicate field number ${f.number} in ${m.name}`);
      numbers.add(f.number);
      const field: ProtoField = { name: f.name, number: f.number, label: f.label, type: resolve(f.rawType) };
      if (f.rawKey !== undefined) field.keyType = resolve(f.rawKey);
      return field;
    });
    out.messages.push({ fullName: `${out.pkg}.${m.name}`, pkg: out.pkg, name: m.name, fields, file });
  }
  return out;
}
