// The default imagePullPolicy of a container (core/v1 SetDefaults_Container): Always when the
// image's tag is "latest" or it has neither tag nor digest, IfNotPresent otherwise. The tag comes
// from upstream's ParseImageName (docker reference grammar, normalised names); a reference that
// does not parse counts as having no tag, hence IfNotPresent.

// The reference grammar (github.com/distribution/reference), written out as regular expressions.
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = "\\[[a-fA-F0-9:]+\\]";
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const HEX_ID = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;
/** Digest algorithms go-digest knows, with the length of their lower-case hex encoding. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  name: string;
  tag: string;
  digest: string;
}

function validDigest(digest: string): boolean {
  const i = digest.indexOf(":");
  const length = DIGEST_HEX_LENGTH[digest.slice(0, i)];
  const encoded = digest.slice(i + 1);
  return length !== undefined && encoded.length === length && /^[a-f0-9]+$/.test(encoded);
}

/** Splits off the registry the way ParseNormalizedNamed does (docker.io when there is none). */
function normalize(image: string): string {
  const slash = image.indexOf("/");
  const first = slash === -1 ? "" : image.slice(0, slash);
  const isDomain = slash !== -1 && (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first);
  if (isDomain) return image;
  return slash === -1 ? `docker.io/library/${image}` : `docker.io/${image}`;
}

/** parsers.ParseImageName: undefined when the reference is invalid. */
export function parseImageReference(image: string): ImageReference | undefined {
  if (HEX_ID.test(image)) return undefined;
  const normalized = normalize(image);
  const remainder = normalized.slice(normalized.indexOf("/") + 1);
  const colon = remainder.indexOf(":");
  const remoteName = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) return undefined;
  const m = REFERENCE.exec(normalized);
  if (!m) return undefined;
  const [, name = "", tag = "", digest = ""] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (digest && !validDigest(digest)) return undefined;
  return { name, tag: tag === "" && digest === "" ? "latest" : tag, digest };
}

/** The imagePullPolicy a container without one gets. */
export function defaultPullPolicy(image: unknown): "Always" | "IfNotPresent" {
  const ref = typeof image === "string" ? parseImageReference(image) : undefined;
  return ref?.tag === "latest" ? "Always" : "IfNotPresent";
}
