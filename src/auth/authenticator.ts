// Authentication (upstream apiserver/pkg/authentication): x509 client certificates verified
// against the cluster CA (CN = user, O = groups) and bearer tokens from a token file. Every
// authenticated user is also in system:authenticated.
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../apimachinery/types.js";
import { ServiceAccountTokens } from "./service-account-tokens.js";

export interface Authenticator {
  /** The user of a request, or undefined when it carries no valid credentials. */
  authenticate(req: IncomingMessage): UserInfo | undefined;
}

function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes("system:authenticated") ? user : { ...user, groups: [...user.groups, "system:authenticated"] };
}

/**
 * TLS client certificates the server's CA signed (Node verified the chain during the handshake).
 * The certificate is fixed for the life of a connection, so its user is computed once per socket.
 */
export class X509Authenticator implements Authenticator {
  private readonly bySocket = new WeakMap<object, UserInfo | null>();

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const socket = req.socket as TLSSocket;
    if (!socket.encrypted || !socket.authorized) return undefined;
    let user = this.bySocket.get(socket);
    if (user === undefined) {
      user = this.fromCertificate(socket) ?? null;
      this.bySocket.set(socket, user);
    }
    return user ?? undefined;
  }

  private fromCertificate(socket: TLSSocket): UserInfo | undefined {
    const cert = socket.getPeerCertificate();
    const subject = cert?.subject as unknown as Record<string, string | string[]> | undefined;
    const cn = subject?.CN;
    if (!cn || Array.isArray(cn)) return undefined;
    const o = subject.O;
    const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
    return withAuthenticated({ username: cn, groups });
  }
}

export interface TokenEntry {
  token: string;
  user: UserInfo;
}

/** Parses the upstream --token-auth-file CSV: token,user,uid,"group1,group2". */
export function parseTokenFile(text: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith("#")) return;
    const fields: string[] = [];
    let cur = "";
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === "," && !quoted) {
        fields.push(cur);
        cur = "";
      } else cur += ch;
    }
    fields.push(cur);
    const [token, username, uid, groups] = fields.map((f) => f.trim());
    if (!token || !username) throw new Error(`token file line ${i + 1}: expected token,user,uid[,"groups"]`);
    entries.push({
      token,
      user: { username, ...(uid ? { uid } : {}), groups: groups ? groups.split(",").map((g) => g.trim()).filter(Boolean) : [] },
    });
  });
  return entries;
}

export function readTokenFile(path: string): TokenEntry[] {
  return parseTokenFile(readFileSync(path, "utf8"));
}

export class TokenAuthenticator implements Authenticator {
  private readonly tokens = new Map<string, UserInfo>();

  constructor(entries: TokenEntry[]) {
    for (const e of entries) this.tokens.set(e.token, withAuthenticated(e.user));
  }

  add(entry: TokenEntry): void {
    this.tokens.set(entry.token, withAuthenticated(entry.user));
  }

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const m = header.match(/^Bearer\s+(\S+)\s*$/i);
    if (!m) return undefined;
    return this.tokens.get(m[1]!);
  }
}

export class UnionAuthenticator implements Authenticator {
  constructor(private readonly authenticators: Authenticator[]) {}

  authenticate(req: IncomingMessage): UserInfo | undefined {
    for (const a of this.authenticators) {
      const user = a.authenticate(req);
      if (user) return user;
    }
    return undefined;
  }
}

/** Bound service account tokens signed by this server, while their service account exists. */
export class ServiceAccountTokenAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: ServiceAccountTokens,
    private readonly serviceAccountUid: (namespace: string, name: string) => string | undefined,
    private readonly now: () => number,
  ) {}

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const m = req.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!m || m[1]!.split(".").length !== 3) return undefined;
    return this.authenticateToken(m[1]!);
  }

  authenticateToken(token: string): UserInfo | undefined {
    const claims = this.tokens.verify(token, this.now());
    if (!claims) return undefined;
    const k8s = claims["kubernetes.io"];
    if (this.serviceAccountUid(k8s.namespace, k8s.serviceaccount.name) !== k8s.serviceaccount.uid) return undefined;
    return ServiceAccountTokens.userOf(claims);
  }
}
