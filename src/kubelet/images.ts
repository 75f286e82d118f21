// Container images as the simulated runtime sees them: docker reference normalisation (what
// containerd reports as a container's image), stable digests and sizes, which images cannot be
// pulled and containerd's error texts for them, and the images a node holds (node.status.images).
import { createHash } from "node:crypto";

export interface ImageRef {
  /** As written in the pod spec. */
  requested: string;
  /** Registry domain (docker.io, registry.k8s.io, ...). */
  domain: string;
  /** Repository path inside the registry (library/nginx). */
  path: string;
  tag: string | undefined;
  digest: string | undefined;
  /** Fully qualified name with tag or digest: docker.io/library/nginx:latest. */
  normalized: string;
  /** Repository without tag: docker.io/library/nginx. */
  repository: string;
}

const REFERENCE = /^([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Parses a docker reference as containerd's normaliser does; undefined when it is not a valid reference. */
export function parseImage(image: string): ImageRef | undefined {
  let rest = image;
  let domain = "docker.io";
  const slash = rest.indexOf("/");
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      domain = first;
      rest = rest.slice(slash + 1);
    }
  }
  const m = REFERENCE.exec(rest);
  if (!m) return undefined;
  let path = m[1]!;
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  const tag = m[2] ?? (m[3] ? undefined : "latest");
  const digest = m[3];
  const repository = `${domain}/${path}`;
  const normalized = digest ? `${repository}@${digest}` : `${repository}:${tag}`;
  return { requested: image, domain, path, tag, digest, normalized, repository };
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** The manifest digest the simulated registry serves for an image (stable per name and tag). */
export function imageDigest(ref: ImageRef): string {
  return ref.digest ?? `sha256:${sha(`kubefacade-manifest:${ref.normalized}`)}`;
}

/** containerStatus.imageID: the repo digest (docker.io/library/nginx@sha256:...). */
export function imageID(ref: ImageRef): string {
  return `${ref.repository}@${imageDigest(ref)}`;
}

const KNOWN_SIZES: Record<string, number> = {
  "docker.io/library/nginx": 72_195_292,
  "docker.io/library/busybox": 2_155_256,
  "docker.io/library/alpine": 3_642_881,
  "docker.io/library/ubuntu": 29_727_046,
  "docker.io/library/debian": 48_494_272,
  "docker.io/library/httpd": 58_091_622,
  "docker.io/library/redis": 45_973_145,
  "docker.io/library/perl": 334_931_284,
  "docker.io/library/python": 412_123_456,
  "registry.k8s.io/pause": 320_368,
  "registry.k8s.io/e2e-test-images/agnhost": 52_813_468,
};

/** Compressed size in bytes reported for an image. */
export function imageSize(ref: ImageRef): number {
  const known = KNOWN_SIZES[ref.repository];
  if (known !== undefined) return known;
  return 5_000_000 + (parseInt(sha(`kubefacade-size:${ref.normalized}`).slice(0, 8), 16) % 250_000_000);
}

/** Name fragments of images the simulated registry does not have. */
export const MISSING_IMAGE_MARKERS = ["doesnotexist", "does-not-exist", "nonexistent"];

export function imageIsMissing(ref: ImageRef): boolean {
  return MISSING_IMAGE_MARKERS.some((m) => ref.path.includes(m) || ref.domain.includes(m) || (ref.tag ?? "").includes(m));
}

/**
 * The error a failed pull reports (containerd over CRI): a repository that does not exist is an
 * authorization failure, a missing tag is NotFound.
 */
export function pullError(ref: ImageRef): string {
  const pathMissing = MISSING_IMAGE_MARKERS.some((m) => ref.path.includes(m) || ref.domain.includes(m));
  if (pathMissing) {
    return (
      `rpc error: code = Unknown desc = failed to pull and unpack image "${ref.normalized}": failed to resolve reference "${ref.normalized}": ` +
      `pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
    );
  }
  return (
    `rpc error: code = NotFound desc = failed to pull and unpack image "${ref.normalized}": failed to resolve reference "${ref.normalized}": ` +
    `${ref.normalized}: not found`
  );
}

/** The message of an image reference the kubelet cannot parse (InvalidImageName). */
export function invalidImageMessage(image: string): string {
  return `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
}

/** imagePullPolicy as defaulted: Always for :latest or untagged images, IfNotPresent otherwise. */
export function effectivePullPolicy(container: { image?: unknown; imagePullPolicy?: unknown }): "Always" | "IfNotPresent" | "Never" {
  const p = container.imagePullPolicy;
  if (p === "Always" || p === "IfNotPresent" || p === "Never") return p;
  const ref = typeof container.image === "string" ? parseImage(container.image) : undefined;
  if (!ref) return "IfNotPresent";
  if (ref.digest) return "IfNotPresent";
  return ref.tag === "latest" ? "Always" : "IfNotPresent";
}

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** The images held by one node: what node.status.images lists (largest first, at most 50). */
export class NodeImageStore {
  private readonly images = new Map<string, { ref: ImageRef; size: number; tags: Set<string> }>();
  private version = 0;

  constructor(seed: string[] = []) {
    for (const s of seed) {
      const ref = parseImage(s);
      if (ref) this.add(ref);
    }
  }

  /** Bumps on every change, so node status reporting can tell when to post. */
  get generation(): number {
    return this.version;
  }

  has(ref: ImageRef): boolean {
    const entry = this.images.get(imageID(ref));
    return entry !== undefined && (ref.digest !== undefined || entry.tags.has(ref.normalized));
  }

  add(ref: ImageRef): void {
    const id = imageID(ref);
    let entry = this.images.get(id);
    if (!entry) {
      entry = { ref, size: imageSize(ref), tags: new Set() };
      this.images.set(id, entry);
      this.version++;
    }
    if (!ref.digest && !entry.tags.has(ref.normalized)) {
      entry.tags.add(ref.normalized);
      this.version++;
    }
  }

  list(max = 50): NodeImage[] {
    const out = [...this.images.entries()].map(([id, e]) => ({ names: [id, ...[...e.tags].sort()].slice(0, 5), sizeBytes: e.size }));
    out.sort((a, b) => b.sizeBytes - a.sizeBytes || a.names[0]!.localeCompare(b.names[0]!));
    return out.slice(0, max);
  }
}
