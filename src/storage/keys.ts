// Key layout: /registry/<group|core>/<resource>/[<namespace>/]<name>.

export function resourcePrefix(group: string, resource: string): string {
  return `/registry/${group || "core"}/${resource}/`;
}

/** The key prefix a list or watch scans: one namespace, or the whole resource. */
export function listPrefix(resourcePrefixKey: string, namespace: string): string {
  return namespace ? `${resourcePrefixKey}${namespace}/` : resourcePrefixKey;
}

export function objectKey(resourcePrefixKey: string, namespace: string, name: string): string {
  return namespace ? `${resourcePrefixKey}${namespace}/${name}` : `${resourcePrefixKey}${name}`;
}
