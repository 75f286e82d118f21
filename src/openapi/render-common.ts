// Helpers shared by the v3 and Swagger 2.0 writers.
import type { PathModel, PathParameter } from "./operations.js";
import { PARAMETERS, nameParameter, type ParameterSpec } from "./parameters.js";

export function parameterSpec(p: PathParameter): ParameterSpec {
  if (p.startsWith("name:")) return nameParameter(p.slice(5));
  return PARAMETERS[p as keyof typeof PARAMETERS];
}

/** Definition names used by the operations' bodies and responses. */
export function schemasOf(paths: readonly PathModel[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    for (const op of p.operations) {
      if (op.body) out.add(op.body.schema);
      for (const r of op.responses) if (r.schema) out.add(r.schema);
    }
  }
  return out;
}
