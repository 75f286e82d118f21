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

/** Go's strings.Compare: bytewise over UTF-8, i.e. by code point (JS `<` compares UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogates (astral code points) sort after every BMP code point, as their UTF-8 bytes do
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** The rank of a JSON value's kind in SMD value.Compare: numbers, strings, bools, lists, maps, null. */
function kindRank(v: unknown): number {
  if (typeof v === "number") return 0;
  if (typeof v === "string") return 1;
  if (typeof v === "boolean") return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === "object") return 4;
  return 5;
}

/** SMD value.Compare: a total order over JSON values (numbers compare numerically, whatever their JSON text). */
export function compareValues(a: unknown, b: unknown): number {
  const ka = kindRank(a);
  const kb = kindRank(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  switch (ka) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return compareGoStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c) return c;
      }
      return la.length < lb.length ? -1 : la.length > lb.length ? 1 : 0;
    }
    case 4:
      return compareFieldLists(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      return 0;
  }
}

/** Maps (and associative keys, SMD FieldList.Compare) compare lexically over their name-sorted entries. */
function compareFieldLists(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ea = Object.keys(a).sort(compareGoStrings);
  const eb = Object.keys(b).sort(compareGoStrings);
  for (let i = 0; ; i++) {
    if (i >= ea.length && i >= eb.length) return 0;
    if (i >= ea.length) return -1;
    if (i >= eb.length) return 1;
    const c = compareGoStrings(ea[i]!, eb[i]!) || compareValues(a[ea[i]!], b[eb[i]!]);
    if (c) return c;
  }
}

const ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** SMD PathElement.Compare: fields by name, then keys, values (by value) and indexes (numerically). */
export function compareElements(a: string, b: string): number {
  const oa = ORDER[a[0]!] ?? 9;
  const ob = ORDER[b[0]!] ?? 9;
  if (oa !== ob) return oa < ob ? -1 : 1;
  const x = a.slice(2);
  const y = b.slice(2);
  switch (a[0]) {
    case "f":
      return compareGoStrings(x, y);
    case "k":
    case "v":
      try {
        return compareValues(JSON.parse(x), JSON.parse(y));
      } catch {
        return compareGoStrings(x, y);
      }
    case "i":
      return Number(x) - Number(y) || 0;
    default:
      return compareGoStrings(a, b);
  }
}

interface TreeNode {
  member: boolean;
  children: Map<string, TreeNode>;
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

  /** Adds a path; the empty path (the whole object) is never tracked, as in SMD. */
  insert(path: FieldPath): void {
    if (path.length) this.paths.add(encode(path));
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

  private tree(): TreeNode {
    const root: TreeNode = { member: false, children: new Map() };
    for (const path of this) {
      let node = root;
      for (const el of path) {
        let child = node.children.get(el);
        if (!child) node.children.set(el, (child = { member: false, children: new Map() }));
        node = child;
      }
      node.member = true;
    }
    return root;
  }

  toFieldsV1(): Record<string, unknown> {
    const render = (node: TreeNode): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (node.member && node.children.size) out["."] = {};
      for (const el of [...node.children.keys()].sort(compareElements)) out[el] = render(node.children.get(el)!);
      return out;
    };
    return render(this.tree());
  }

  /**
   * The paths in SMD Set.Iterate order: at each level the members (sorted), then the children
   * (sorted), each child's level in turn.
   */
  ordered(): FieldPath[] {
    const out: FieldPath[] = [];
    const visit = (node: TreeNode, prefix: PathElement[]) => {
      const keys = [...node.children.keys()].sort(compareElements);
      for (const el of keys) if (node.children.get(el)!.member) out.push([...prefix, el]);
      for (const el of keys) {
        const child = node.children.get(el)!;
        if (child.children.size) visit(child, [...prefix, el]);
      }
    };
    visit(this.tree(), []);
    return out;
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
