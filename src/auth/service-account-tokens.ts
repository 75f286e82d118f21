// Bound service account tokens (upstream pkg/serviceaccount): ES256 JWTs with the claims the real
// token issuer writes, signed with the cluster's service-account key. TokenRequest issues them;
// the authenticator accepts them while the service account (same uid) still exists.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import type { UserInfo } from "../apimachinery/types.js";

export const DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  "kubernetes.io": {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    [bound: string]: unknown;
  };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export class ServiceAccountTokens {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(privateKeyPem?: string, readonly issuer = DEFAULT_ISSUER) {
    this.privateKey = privateKeyPem ? createPrivateKey(privateKeyPem) : generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    this.publicKey = createPublicKey(this.privateKey);
    const der = this.publicKey.export({ type: "spki", format: "der" });
    this.keyId = b64url(Buffer.from(der).subarray(-32));
  }

  issue(opts: {
    namespace: string;
    name: string;
    uid: string;
    audiences: string[];
    expirationSeconds: number;
    now: number;
    boundObject?: Record<string, unknown>;
  }): { token: string; expiration: number } {
    const iat = Math.floor(opts.now / 1000);
    const exp = iat + opts.expirationSeconds;
    const claims: TokenClaims = {
      aud: opts.audiences,
      exp,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      "kubernetes.io": {
        namespace: opts.namespace,
        serviceaccount: { name: opts.name, uid: opts.uid },
        ...(opts.boundObject ?? {}),
      },
      nbf: iat,
      sub: `system:serviceaccount:${opts.namespace}:${opts.name}`,
    };
    const header = b64url(JSON.stringify({ alg: "ES256", kid: this.keyId }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), { key: this.privateKey, dsaEncoding: "ieee-p1363" });
    return { token: `${header}.${payload}.${b64url(signature)}`, expiration: exp * 1000 };
  }

  /** The claims of a token this issuer signed that has not expired, else undefined. */
  verify(token: string, now: number): TokenClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    try {
      const ok = verify("sha256", Buffer.from(`${header}.${payload}`), { key: this.publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
      if (!ok) return undefined;
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
      if (claims.iss !== this.issuer || typeof claims.exp !== "number" || claims.exp * 1000 <= now) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }

  /** The user a verified token stands for (upstream's service account user info). */
  static userOf(claims: TokenClaims): UserInfo {
    const ns = claims["kubernetes.io"].namespace;
    const sa = claims["kubernetes.io"].serviceaccount;
    return {
      username: `system:serviceaccount:${ns}:${sa.name}`,
      uid: sa.uid,
      groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"],
    };
  }
}
