// Encodes a Swagger 2.0 document (as the v2 writer builds it) as the gnostic openapi_v2.Document
// protobuf that kube-openapi serves on /openapi/v2 and client-go decodes. Vendor extensions
// (x-kubernetes-*) become NamedAny entries whose value is the YAML text of the JSON value.
import type { Schema } from "./schema.js";
import { F } from "./gnostic-fields.js";
import { ProtoWriter } from "./proto-writer.js";
import { yamlText } from "./yaml-text.js";

type Json = Record<string, unknown>;

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

function extensions(w: ProtoWriter, field: number, obj: Json): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!k.startsWith("x-")) continue;
    w.message(field, (n) => n.string(F.NamedAny.name, k).message(F.NamedAny.value, (a) => a.string(F.Any.yaml, yamlText(v))));
  }
}

function anyValue(w: ProtoWriter, field: number, v: unknown): void {
  w.message(field, (a) => a.string(F.Any.yaml, yamlText(v)));
}

export function writeSchema(w: ProtoWriter, s: Schema): void {
  const S = F.Schema;
  w.string(S.ref, s.$ref).string(S.format, s.format).string(S.description, s.description);
  if (s.default !== undefined) anyValue(w, S.default, s.default);
  w.bool(S.uniqueItems, s.uniqueItems);
  w.strings(S.required, s.required);
  for (const e of s.enum ?? []) anyValue(w, S.enum, e);
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(S.additionalProperties, (a) => {
      if (typeof ap === "boolean") a.bool(F.AdditionalPropertiesItem.boolean, ap);
      else a.message(F.AdditionalPropertiesItem.schema, (x) => writeSchema(x, ap));
    });
  }
  if (s.type) w.message(S.type, (t) => t.strings(F.TypeItem.value, [s.type!]));
  if (s.items) w.message(S.items, (i) => i.message(F.ItemsItem.schema, (x) => writeSchema(x, s.items!)));
  for (const a of s.allOf ?? []) w.message(S.allOf, (x) => writeSchema(x, a));
  if (s.properties) {
    w.message(S.properties, (p) => {
      for (const [name, prop] of Object.entries(s.properties!)) {
        p.message(F.Properties.additionalProperties, (n) => n.string(F.NamedSchema.name, name).message(F.NamedSchema.value, (x) => writeSchema(x, prop)));
      }
    });
  }
  extensions(w, S.vendorExtension, s as Json);
}

function writeParameter(w: ProtoWriter, p: Json): void {
  w.message(F.ParametersItem.parameter, (param) => {
    if (p.in === "body") {
      param.message(F.Parameter.bodyParameter, (b) => {
        b.string(F.BodyParameter.description, p.description as string | undefined)
          .string(F.BodyParameter.name, p.name as string)
          .string(F.BodyParameter.in, "body")
          .bool(F.BodyParameter.required, p.required as boolean | undefined);
        b.message(F.BodyParameter.schema, (x) => writeSchema(x, p.schema as Schema));
      });
      return;
    }
    param.message(F.Parameter.nonBodyParameter, (nb) => {
      const path = p.in === "path";
      const Q = path ? F.PathParameterSubSchema : F.QueryParameterSubSchema;
      nb.message(path ? F.NonBodyParameter.pathParameterSubSchema : F.NonBodyParameter.queryParameterSubSchema, (x) => {
        x.bool(Q.required, p.required as boolean | undefined)
          .string(Q.in, p.in as string)
          .string(Q.description, p.description as string | undefined)
          .string(Q.name, p.name as string)
          .string(Q.type, p.type as string | undefined)
          .bool(Q.uniqueItems, p.uniqueItems as boolean | undefined);
      });
    });
  });
}

function writeOperation(w: ProtoWriter, op: Json): void {
  const O = F.Operation;
  w.strings(O.tags, op.tags as string[] | undefined)
    .string(O.description, op.description as string | undefined)
    .string(O.operationId, op.operationId as string | undefined)
    .strings(O.produces, op.produces as string[] | undefined)
    .strings(O.consumes, op.consumes as string[] | undefined);
  for (const p of (op.parameters as Json[] | undefined) ?? []) w.message(O.parameters, (x) => writeParameter(x, p));
  const responses = (op.responses ?? {}) as Record<string, Json>;
  w.message(O.responses, (r) => {
    for (const [code, resp] of Object.entries(responses)) {
      r.message(F.Responses.responseCode, (n) => {
        n.string(F.NamedResponseValue.name, code);
        n.message(F.NamedResponseValue.value, (rv) =>
          rv.message(F.ResponseValue.response, (x) => {
            x.string(F.Response.description, resp.description as string | undefined);
            if (resp.schema) x.message(F.Response.schema, (si) => si.message(F.SchemaItem.schema, (s) => writeSchema(s, resp.schema as Schema)));
          }),
        );
      });
    }
  });
  w.strings(O.schemes, op.schemes as string[] | undefined);
  extensions(w, O.vendorExtension, op);
}

/** The protobuf bytes of a Swagger 2.0 document object. */
export function encodeSwagger(doc: Json): Buffer {
  const w = new ProtoWriter();
  const D = F.Document;
  w.string(D.swagger, doc.swagger as string);
  const info = doc.info as Json;
  w.message(D.info, (i) => i.string(F.Info.title, info.title as string).string(F.Info.version, info.version as string));
  w.message(D.paths, (ps) => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      ps.message(F.Paths.path, (n) => {
        n.string(F.NamedPathItem.name, path);
        n.message(F.NamedPathItem.value, (pi) => {
          for (const m of HTTP_METHODS) if (item[m]) pi.message(F.PathItem[m], (o) => writeOperation(o, item[m] as Json));
          for (const p of (item.parameters as Json[] | undefined) ?? []) pi.message(F.PathItem.parameters, (x) => writeParameter(x, p));
        });
      });
    }
  });
  w.message(D.definitions, (ds) => {
    for (const [name, schema] of Object.entries(doc.definitions as Record<string, Schema>)) {
      ds.message(F.Definitions.additionalProperties, (n) => n.string(F.NamedSchema.name, name).message(F.NamedSchema.value, (x) => writeSchema(x, schema)));
    }
  });
  for (const req of (doc.security as Record<string, string[]>[] | undefined) ?? []) {
    w.message(D.security, (sr) => {
      for (const [name, scopes] of Object.entries(req)) {
        sr.message(F.SecurityRequirement.additionalProperties, (n) => n.string(F.NamedStringArray.name, name).message(F.NamedStringArray.value, (a) => a.strings(F.StringArray.value, scopes)));
      }
    });
  }
  const defs = doc.securityDefinitions as Record<string, Json> | undefined;
  if (defs) {
    w.message(D.securityDefinitions, (sd) => {
      for (const [name, def] of Object.entries(defs)) {
        sd.message(F.SecurityDefinitions.additionalProperties, (n) => {
          n.string(F.NamedSecurityDefinitionsItem.name, name);
          n.message(F.NamedSecurityDefinitionsItem.value, (item) =>
            item.message(F.SecurityDefinitionsItem.apiKeySecurity, (k) =>
              k
                .string(F.ApiKeySecurity.type, def.type as string)
                .string(F.ApiKeySecurity.name, def.name as string)
                .string(F.ApiKeySecurity.in, def.in as string)
                .string(F.ApiKeySecurity.description, def.description as string | undefined),
            ),
          );
        });
      }
    });
  }
  return w.finish();
}
