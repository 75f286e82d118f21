// certificates.k8s.io/v1 CertificateSigningRequests (upstream pkg/apis/certificates/validation),
// without parsing the PEM request itself beyond its block type.
import type { KubeObject } from "../../apimachinery/types.js";
import { dnsSubdomain } from "./common.js";
import { type FieldError, FieldPath, GoValue, fieldErrors, isNum, objOr, root, str, strs } from "./helpers.js";

const USAGES = [
  "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature",
  "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc",
  "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
];

/** ValidateSignerName. */
export function signerName(p: FieldPath, name: string): FieldError[] {
  if (!name) return [fieldErrors.required(p)];
  const segs = name.split("/");
  if (segs.length < 2) return [fieldErrors.invalid(p, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const errs: FieldError[] = [];
  const domain = segs[0]!;
  if (domain.split(".").length < 2) errs.push(fieldErrors.invalid(p, name, "should be a domain with at least two segments separated by dots"));
  else errs.push(...dnsSubdomain(domain, p).map((e) => ({ ...e, badValue: domain })));
  const path = segs.slice(1).join("/");
  if (!path) errs.push(fieldErrors.invalid(p, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  return errs;
}

export function validateCSR(csr: KubeObject): FieldError[] {
  const spec = objOr(csr.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const pem = Buffer.from(str(spec.request), "base64").toString("latin1");
  const block = /-----BEGIN ([A-Z ]+)-----/.exec(pem);
  if (!block) errs.push(fieldErrors.invalid(sp.child("request"), new GoValue("[]byte{...}"), "PEM block type must be CERTIFICATE REQUEST"));
  else if (block[1] !== "CERTIFICATE REQUEST") errs.push(fieldErrors.invalid(sp.child("request"), new GoValue("[]byte{...}"), "PEM block type must be CERTIFICATE REQUEST"));
  const usages = strs(spec.usages);
  if (usages.length === 0) errs.push(fieldErrors.required(sp.child("usages"), "usages must be provided"));
  usages.forEach((u, i) => {
    if (!USAGES.includes(u)) errs.push(fieldErrors.notSupported(sp.child("usages").index(i), u, USAGES));
  });
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (seen.has(u)) errs.push(fieldErrors.duplicate(sp.child("usages").index(i), u));
    seen.add(u);
  });
  const signer = str(spec.signerName);
  if (signer === "kubernetes.io/legacy-unknown") errs.push(fieldErrors.invalid(sp.child("signerName"), signer, "the legacy signerName is not allowed via this API version"));
  else errs.push(...signerName(sp.child("signerName"), signer));
  if (isNum(spec.expirationSeconds) && spec.expirationSeconds < 600)
    errs.push(fieldErrors.invalid(sp.child("expirationSeconds"), spec.expirationSeconds, "may not specify a duration less than 600 seconds (10 minutes)"));
  return errs;
}
