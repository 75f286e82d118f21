// Shared table runner for the validation tests: a valid (defaulted-looking) object passes, and each
// mutation yields exactly upstream's error lines (field path + body), in order.
import assert from "node:assert/strict";
import { it } from "node:test";
import { fieldErrorString } from "../../../src/apimachinery/field-errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { validationFor } from "../../../src/registry/validation/index.js";

export type Mutation = (o: any) => void;
export interface Case {
  name: string;
  mutate: Mutation;
  want: string[];
  /** Validate as an update of the unmutated object. */
  update?: boolean;
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

export function errorsOf(group: string, kind: string, obj: KubeObject, old?: KubeObject): string[] {
  const v = validationFor(group, kind);
  assert.ok(v, `no validation registered for ${group}/${kind}`);
  const errs = old ? (v.update ?? (() => []))(obj, old) : (v.create ?? (() => []))(obj);
  return errs.map(fieldErrorString);
}

export function table(group: string, kind: string, valid: KubeObject, cases: Case[]): void {
  it("the valid object passes create and update", () => {
    assert.deepEqual(errorsOf(group, kind, clone(valid)), []);
    assert.deepEqual(errorsOf(group, kind, clone(valid), clone(valid)), []);
  });
  for (const c of cases) {
    it(c.name, () => {
      const obj = clone(valid) as any;
      c.mutate(obj);
      assert.deepEqual(errorsOf(group, kind, obj, c.update ? clone(valid) : undefined), c.want);
    });
  }
}

export const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
export const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
export const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
