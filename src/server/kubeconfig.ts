// The kubeconfig kubefacade writes: cluster with the embedded CA, the admin user with its
// embedded client certificate, one context named after the cluster.
import { writeFile } from "node:fs/promises";
import type { Pki } from "./certs.js";

export const CLUSTER_NAME = "kubefacade";

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The kubeconfig as YAML (fixed shape, written by hand so start-up need not load a YAML library). */
export function renderKubeconfig(server: string, pki: Pki): string {
  const q = (v: string) => JSON.stringify(v);
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${CLUSTER_NAME}`,
    "  cluster:",
    `    server: ${q(server)}`,
    `    certificate-authority-data: ${b64(pki.caCert)}`,
    "users:",
    "- name: kubernetes-admin",
    "  user:",
    `    client-certificate-data: ${b64(pki.adminCert)}`,
    `    client-key-data: ${b64(pki.adminKey)}`,
    "contexts:",
    `- name: ${CLUSTER_NAME}`,
    "  context:",
    `    cluster: ${CLUSTER_NAME}`,
    "    user: kubernetes-admin",
    `current-context: ${CLUSTER_NAME}`,
    "preferences: {}",
    "",
  ].join("\n");
}

export async function writeKubeconfig(file: string, server: string, pki: Pki): Promise<void> {
  await writeFile(file, renderKubeconfig(server, pki), { mode: 0o600 });
}
