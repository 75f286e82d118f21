// What a write or read operates on, independent of the transport: the same pipeline serves HTTP
// requests and the in-process (loopback) client of controllers, schedulers and kubelets.
import type { SchemaIndex } from "../../openapi/schema-index.js";
import type { RequestContext } from "../../registry/context.js";
import { apiVersionOfDefinition, type ResourceDefinition } from "../../registry/definition.js";
import type { RestStorage } from "../../registry/rest.js";

export interface OperationTarget {
  def: ResourceDefinition;
  rest: RestStorage;
  ctx: RequestContext;
  /** The published schemas (loaded on first use). */
  schemas(): SchemaIndex;
  /** The client's User-Agent: the default field manager is its product token. */
  userAgent: string;
}

/** OpenAPI definition of the object this endpoint reads and writes (undefined when unknown). */
export function schemaNameOf(t: OperationTarget): string | undefined {
  const sub = t.ctx.subresource;
  if (sub === "scale") return "io.k8s.api.autoscaling.v1.Scale";
  if (sub === "" || sub === "status") return t.def.schema;
  return undefined;
}

/** Kind and apiVersion an object written to this endpoint carries. */
export function expectedTypeOf(t: OperationTarget): { kind: string; apiVersion: string } {
  const sub = t.ctx.subresource;
  if (sub === "scale") return { kind: "Scale", apiVersion: "autoscaling/v1" };
  const custom = sub ? t.def.subresources?.custom?.[sub] : undefined;
  if (custom) {
    const apiVersion = custom.group !== undefined ? (custom.group ? `${custom.group}/${custom.version}` : custom.version!) : apiVersionOfDefinition(t.def);
    return { kind: custom.kind, apiVersion };
  }
  return { kind: t.def.kind, apiVersion: apiVersionOfDefinition(t.def) };
}

/** The main object or its status: what defaulting applies to. */
export function writesMainObject(t: OperationTarget): boolean {
  return t.ctx.subresource === "" || t.ctx.subresource === "status";
}
