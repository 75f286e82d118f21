// Sets of field paths, as structured-merge-diff's fieldpath.Set, in the FieldsV1 wire form
// managedFields carries: {"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}.
// A path element is a field or map key ("f:name"), an associative-list item by its key fields
// ("k:{...}", keys sorted), a set item by value ("v:..."), or an index ("i:N").

export type PathElement = string;
export type FieldPath = readonly PathElement[];

const SEP = "\u0001";
const encode = (p: FieldPath) => p.join(SEP);
const decode = (s: string): FieldPath => (s === "" ? [] : s.split(SEP));

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** JSON of the key fields, sorted by name, as SMD serialises associative keys. */
export function keyElement(keys: Record<string, unknown>): PathElement {
  const sorted = Object.fromEntries(Object.keys(keys).sort().map((k) => [k, keys[k]]));
  return `k:${JSON.stringify(sorted)}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${JSON.stringify(value)}`;
}

export function indexElement(i: number): PathElement {
  return `i:${i}`;
}

/** SMD's Path.String(): .spec.containers[name="web"].image, [="x"] for set items, [0] for indexes. */
export function pathString(path: FieldPath): string {
  return path
    .map((e) => {
      const body = e.slice(2);
      switch (e[0]) {
        case "f":
          return `.${body}`;
        case "k": {
          const keys = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(keys)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(",")}]`;
        }
        case "v":
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join("");
}

const ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function compareElements(a: string, b: string): number {
  return (ORDER[a[0]!] ?? 9) - (ORDER[b[0]!] ?? 9) || (a < b ? -1 : a > b ? 1 : 0);
}

export class FieldSet {
  private readonly paths: Set<string>;

  constructor(paths: Iterable<string> = []) {
    this.paths = new Set(paths);
  }

  static of(paths: Iterable<FieldPath>): FieldSet {
    return new FieldSet([...paths].map(encode));
  }

  get size(): number {
    return this.paths.size;
  }

  get empty(): boolean {
    return this.paths.size === 0;
  }

  insert(path: FieldPath): void {
    this.paths.add(encode(path));
  }

  has(path: FieldPath): boolean {
    return this.paths.has(encode(path));
  }

  *[Symbol.iterator](): Generator<FieldPath> {
    for (const p of this.paths) yield decode(p);
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths, ...other.paths]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths].filter((p) => !other.paths.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths].filter((p) => other.paths.has(p)));
  }

  /** Whether some path of this set lies strictly beneath `path`. */
  hasUnder(path: FieldPath): boolean {
    const prefix = encode(path) + SEP;
    for (const p of this.paths) if (p.startsWith(prefix)) return true;
    return false;
  }

  /** Paths of this set not under (and not equal to) any path of `prefixes`. */
  withoutPrefixes(prefixes: FieldPath[]): FieldSet {
    const ps = prefixes.map(encode);
    return new FieldSet([...this.paths].filter((p) => !ps.some((x) => p === x || p.startsWith(x + SEP))));
  }

  /** Only the paths under one of `prefixes` (the prefixes themselves excluded). */
  onlyUnder(prefixes: FieldPath[]): FieldSet {
    const ps = prefixes.map(encode);
    return new FieldSet([...this.paths].filter((p) => ps.some((x) => p.startsWith(x + SEP))));
  }

  toFieldsV1(): Record<string, unknown> {
    interface Node {
      member: boolean;
      children: Map<string, Node>;
    }
    const root: Node = { member: false, children: new Map() };
    for (const path of this) {
      let node = root;
      for (const el of path) {
        let child = node.children.get(el);
        if (!child) node.children.set(el, (child = { member: false, children: new Map() }));
        node = child;
      }
      node.member = true;
    }
    const render = (node: Node): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (node.member && node.children.size) out["."] = {};
      for (const el of [...node.children.keys()].sort(compareElements)) out[el] = render(node.children.get(el)!);
      return out;
    };
    return render(root);
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, path: PathElement[]) => {
      if (typeof node !== "object" || node === null) return;
      const entries = Object.entries(node as Record<string, unknown>);
      if (path.length && entries.length === 0) set.insert(path);
      for (const [k, v] of entries) {
        if (k === ".") set.insert(path);
        else walk(v, [...path, k]);
      }
    };
    walk(fields, []);
    return set;
  }
}
