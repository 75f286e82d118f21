// The cluster PKI, generated on first start into <data-dir>/pki: a CA, a serving certificate
// (SANs: localhost, the host name, 127.0.0.1, ::1, the kubernetes service names and its cluster IP)
// and the admin client certificate (CN kubernetes-admin, O system:masters). EC P-256 keys keep
// generation fast.
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  /** Signs service account tokens (PKCS#8 PEM, EC P-256). */
  serviceAccountKey: string;
}

const FILES: Record<keyof Pki, string> = {
  caCert: "ca.crt",
  caKey: "ca.key",
  serverCert: "apiserver.crt",
  serverKey: "apiserver.key",
  adminCert: "admin.crt",
  adminKey: "admin.key",
  serviceAccountKey: "sa.key",
};

const years = (n: number) => {
  const d = new Date();
  d.setFullYear(d.getFullYear() + n);
  return d;
};

export async function ensurePki(dir: string, extraSans: string[] = []): Promise<Pki> {
  const paths = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, path.join(dir, f)])) as Record<keyof Pki, string>;
  if (!existsSync(paths.serviceAccountKey) && existsSync(dir)) {
    // data dirs from before service account tokens: add the key alone
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    await writeFile(paths.serviceAccountKey, key, { mode: 0o600 });
  }
  if (Object.values(paths).every((p) => existsSync(p))) {
    const entries = await Promise.all(Object.entries(paths).map(async ([k, p]) => [k, await readFile(p, "utf8")]));
    return Object.fromEntries(entries) as Pki;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // loaded only when certificates are generated: it is the heaviest dependency to load
  const { default: selfsigned } = await import("selfsigned");
  const base = { keyType: "ec" as const, curve: "P-256" as const, algorithm: "sha256" as const, notBeforeDate: new Date() };
  const ca = await selfsigned.generate([{ name: "commonName", value: "kubefacade-ca" }], {
    ...base,
    notAfterDate: years(10),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signer = { key: ca.private, cert: ca.cert };
  const dnsNames = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", hostname()];
  const ips = ["127.0.0.1", "::1", "10.96.0.1"];
  for (const san of extraSans) (/^[\d.]+$|:/.test(san) ? ips : dnsNames).push(san);
  const server = await selfsigned.generate([{ name: "commonName", value: "kube-apiserver" }], {
    ...base,
    notAfterDate: years(5),
    ca: signer,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...[...new Set(dnsNames)].map((value) => ({ type: 2 as const, value })),
          ...[...new Set(ips)].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  const admin = await selfsigned.generate(
    [
      { name: "organizationName", value: "system:masters" },
      { name: "commonName", value: "kubernetes-admin" },
    ],
    {
      ...base,
      notAfterDate: years(5),
      ca: signer,
      extensions: [
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", clientAuth: true },
      ],
    },
  );
  const pki: Pki = {
    caCert: ca.cert,
    caKey: ca.private,
    serverCert: server.cert,
    serverKey: server.private,
    adminCert: admin.cert,
    adminKey: admin.private,
    serviceAccountKey: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
  for (const [k, p] of Object.entries(paths)) await writeFile(p, pki[k as keyof Pki], { mode: k.endsWith("Key") ? 0o600 : 0o644 });
  return pki;
}
