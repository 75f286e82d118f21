// Upstream's defaulting (pkg/apis/<group>/<version>/defaults.go and the generated defaulters),
// per served group/version/kind.
import type { KubeObject } from "../../apimachinery/types.js";

export type Defaulter = (obj: KubeObject) => void;

const defaulters = new Map<string, Defaulter>();

/** The defaulting function of a served kind, if upstream defaults it. */
export function defaulterFor(group: string, version: string, kind: string): Defaulter | undefined {
  return defaulters.get(`${group}/${version}/${kind}`);
}
