// Just enough of Go's net/url for the CEL url library (upstream k8s.io/apiserver/pkg/cel/library/
// urls.go): url() and isURL() accept what url.ParseRequestURI accepts (an absolute URI with a
// hierarchical part, or an absolute path); the getters return the parts as Go's URL reports them.

export class CelURL {
  constructor(
    readonly raw: string,
    readonly scheme: string,
    /** host[:port], as url.URL.Host. */
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {}

  hostname(): string {
    const h = this.host;
    if (h.startsWith("[")) {
      const end = h.indexOf("]");
      return end < 0 ? h.slice(1) : h.slice(1, end);
    }
    const colon = h.lastIndexOf(":");
    return colon < 0 ? h : h.slice(0, colon);
  }

  port(): string {
    const h = this.host;
    const colon = h.lastIndexOf(":");
    if (colon < 0 || (h.startsWith("[") && colon < h.indexOf("]"))) return "";
    const port = h.slice(colon + 1);
    return /^\d*$/.test(port) ? port : "";
  }

  /** url.Values: keys in order of first appearance, values decoded. */
  query(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (!this.rawQuery) return out;
    for (const part of this.rawQuery.split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const decode = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, " "));
        } catch {
          return undefined;
        }
      };
      const k = decode(eq < 0 ? part : part.slice(0, eq));
      const v = decode(eq < 0 ? "" : part.slice(eq + 1));
      if (k === undefined || v === undefined) continue;
      out.set(k, [...(out.get(k) ?? []), v]);
    }
    return out;
  }

  celEquals(o: unknown): boolean {
    return o instanceof CelURL && o.raw === this.raw;
  }
}

/** url.ParseRequestURI: the URL or Go's error text. */
export function parseRequestURI(s: string): CelURL | string {
  const err = (why: string) => `parse ${JSON.stringify(s)}: ${why}`;
  if (s === "") return err("empty url");
  if (/[\x00-\x1f\x7f]/.test(s)) return err("net/url: invalid control character in URL");
  let rest = s;
  let scheme = "";
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = sm[1]!;
    rest = rest.slice(sm[0].length);
  } else if (/^[a-zA-Z0-9+.-]*:/.test(rest) && !rest.startsWith("/")) {
    return err("missing protocol scheme");
  }
  const q = rest.indexOf("?");
  let rawQuery = "";
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith("/")) return err("invalid URI for request");
  let host = "";
  if (scheme && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    let authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const at = authority.lastIndexOf("@");
    if (at >= 0) authority = authority.slice(at + 1);
    const port = /:([^\]]*)$/.exec(authority);
    if (port && !/^\d*$/.test(port[1]!)) return err(`invalid port ${JSON.stringify(`:${port[1]}`)} after host`);
    host = authority;
  }
  return new CelURL(s, scheme, host, rest, rawQuery);
}
