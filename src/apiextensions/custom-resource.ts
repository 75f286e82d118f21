// A CustomResourceDefinition turned into the ResourceDefinitions of its served versions (upstream
// crdHandler's per-version crdInfo): names, scope, the custom resource strategy over the version's
// structural schema (pruning, defaulting, validation, CEL rules), status and scale subresources,
// printer columns, selectable fields, and the storage codec that converts between versions.
import { errors } from "../apimachinery/errors.js";
import type { FieldError } from "../apimachinery/field-errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import { customResourceDefinitionName } from "../openapi/custom-resources.js";
import type { ResourceDefinition, StorageCodec, Strategy } from "../registry/definition.js";
import { semanticEqual } from "../util/deep-equal.js";
import { deepCopy } from "../storage/codec.js";
import { validateCustomResourceRules } from "./cel/validate.js";
import { acceptedNames, type CRD, type CRDVersion, storageVersionOf, versionsOf } from "./crd.js";
import { crdPrinter } from "./printer.js";
import { ratchet } from "./ratcheting.js";
import { applyDefaults, hasDefaults } from "./schema/defaults.js";
import { pruneCustomResource } from "./schema/prune.js";
import { validateCustomResource } from "./schema/validate.js";
import { crdFieldSelectors } from "./selectable-fields.js";

/** Converts objects between the versions of one CRD (None: apiVersion only; Webhook: the webhook). */
export interface VersionConverter {
  convert(objects: KubeObject[], toAPIVersion: string): Promise<KubeObject[]>;
}

export interface CustomResourceDeps {
  /** The converter of a Webhook-strategy CRD (None needs none). */
  webhookConverter(crd: CRD): VersionConverter;
  /** Whether the CRD is being deleted now (creates are refused while its objects are removed). */
  isTerminating(crd: CRD): boolean;
}

/** The custom resource strategy (upstream customresource/strategy.go and status_strategy.go). */
function customResourceStrategy(crd: CRD, version: CRDVersion, deps: CustomResourceDeps): Strategy {
  const schema = version.schema?.openAPIV3Schema;
  const hasStatus = version.subresources?.status !== undefined;
  const validateAll = (obj: KubeObject, old: KubeObject | undefined): FieldError[] => {
    if (!schema) return [];
    const errs = [...validateCustomResource(schema, obj), ...validateCustomResourceRules(schema, obj, old)];
    return old ? ratchet(errs, obj, old) : errs;
  };
  return {
    generation: "nonStatus",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate(_ctx, obj) {
      if (deps.isTerminating(crd)) throw errors.methodNotSupported({ group: crd.spec.group, resource: acceptedNames(crd).plural }, "create");
      if (hasStatus) delete obj.status;
    },
    prepareForUpdate(_ctx, obj, old) {
      // without a status subresource status is part of what generation counts
      if (!hasStatus && obj.metadata.generation === old.metadata.generation && !semanticEqual(obj.status, old.status))
        obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
    validate: (_ctx, obj) => validateAll(obj, undefined),
    validateUpdate: (_ctx, obj, old) => validateAll(obj, old),
    prepareForStatusUpdate(_ctx, obj, old) {
      // a status update changes nothing but status (and the field manager's record of it)
      const managedFields = obj.metadata.managedFields;
      obj.metadata = deepCopy(old.metadata);
      if (managedFields) obj.metadata.managedFields = managedFields;
      else delete obj.metadata.managedFields;
    },
    validateStatusUpdate: (_ctx, obj, old) => validateAll(obj, old),
  };
}

/** The storage codec of one served version: objects are stored in the storage version. */
function storageCodec(crd: CRD, version: CRDVersion, deps: CustomResourceDeps): StorageCodec {
  const group = crd.spec.group;
  const plural = acceptedNames(crd).plural;
  const served = `${group}/${version.name}`;
  const stored = `${group}/${storageVersionOf(crd) ?? version.name}`;
  const schema = version.schema?.openAPIV3Schema;
  const defaulted = hasDefaults(schema);
  const webhook = crd.spec.conversion?.strategy === "Webhook" ? deps.webhookConverter(crd) : undefined;
  const convert = async (obj: KubeObject, to: string): Promise<KubeObject> => {
    if (obj.apiVersion === to) return obj;
    if (webhook) return (await webhook.convert([obj], to))[0]!;
    return { ...obj, apiVersion: to };
  };
  return {
    group,
    resource: plural,
    decode(obj) {
      if (obj.apiVersion === served && !defaulted) return obj;
      const finish = (o: KubeObject) => {
        if (!defaulted) return o;
        const copy = o === obj ? deepCopy(o) : o;
        applyDefaults(schema!, copy);
        return copy;
      };
      if (obj.apiVersion === served || !webhook) return finish(obj.apiVersion === served ? obj : { ...deepCopy(obj), apiVersion: served });
      return convert(obj, served).then(finish);
    },
    encode(obj) {
      if (obj.apiVersion === stored || !webhook) return obj.apiVersion === stored ? obj : { ...obj, apiVersion: stored };
      return convert(obj, stored);
    },
  };
}

/** The served versions of an accepted CRD as resource declarations. */
export function customResourceDefinitions(crd: CRD, deps: CustomResourceDeps): ResourceDefinition[] {
  const names = acceptedNames(crd);
  const group = crd.spec.group;
  return versionsOf(crd)
    .filter((v) => v.served)
    .map((version) => {
      const schema = version.schema?.openAPIV3Schema;
      const scale = version.subresources?.scale;
      const base = { group, version: version.name, kind: names.kind };
      const def: ResourceDefinition = {
        ...base,
        plural: names.plural,
        singular: names.singular || names.kind.toLowerCase(),
        namespaced: crd.spec.scope === "Namespaced",
        ...(names.listKind && names.listKind !== `${names.kind}List` ? { listKind: names.listKind } : {}),
        shortNames: names.shortNames,
        categories: names.categories,
        schema: customResourceDefinitionName(base),
        customResource: true,
        strategy: customResourceStrategy(crd, version, deps),
        subresources: {
          status: version.subresources?.status !== undefined,
          ...(scale
            ? {
                scale: {
                  specReplicasPath: scale.specReplicasPath,
                  statusReplicasPath: scale.statusReplicasPath,
                  ...(scale.labelSelectorPath ? { labelSelectorPath: scale.labelSelectorPath } : {}),
                },
              }
            : {}),
        },
        printer: crdPrinter(crd, version.name),
        fieldSelectors: crdFieldSelectors(crd, version.name),
        codec: storageCodec(crd, version, deps),
        prune: (obj) => pruneCustomResource(schema, obj),
        ...(schema ? { defaults: (obj: KubeObject) => applyDefaults(schema, obj) } : {}),
        ...(version.deprecated
          ? { deprecated: { warning: version.deprecationWarning ?? `${group}/${version.name} ${names.kind} is deprecated` } }
          : {}),
      };
      return def;
    });
}
