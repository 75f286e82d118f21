// The table generator's readers (scripts/gen-protobuf) on small inputs of our own: the proto2
// subset go-to-protobuf emits, and Go struct declarations with json/protobuf tags.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseGoPackage } from "../../../scripts/gen-protobuf/go-types.js";
import { parseProto } from "../../../scripts/gen-protobuf/proto-parser.js";

describe("proto parser", () => {
  it("reads packages, imports, messages, optional/repeated/map fields and resolves type names", () => {
    const file = parseProto(
      `/* licence */
syntax = "proto2";
package example.v1;
import "other/generated.proto";
option go_package = "example.com/api/v1";
// Widget is a thing. // with { braces } and "quotes" in comments
message Widget {
  optional .other.v1.Meta metadata = 1;
  repeated string names = 2;
  map<string, bytes> data = 3;
  optional Part part = 4;
  optional int64 size = 5;
}
message Part {
}
`,
      "example/v1/generated.proto",
    );
    assert.equal(file.pkg, "example.v1");
    assert.deepEqual(file.imports, ["other/generated.proto"]);
    assert.equal(file.goPackage, "example.com/api/v1");
    assert.deepEqual(
      file.messages.map((m) => m.fullName),
      ["example.v1.Widget", "example.v1.Part"],
    );
    assert.deepEqual(file.messages[0]!.fields, [
      { name: "metadata", number: 1, label: "optional", type: "other.v1.Meta" },
      { name: "names", number: 2, label: "repeated", type: "string" },
      { name: "data", number: 3, label: "map", type: "bytes", keyType: "string" },
      { name: "part", number: 4, label: "optional", type: "example.v1.Part" },
      { name: "size", number: 5, label: "optional", type: "int64" },
    ]);
  });

  it("rejects what it does not understand instead of dropping it", () => {
    const p = (body: string) => () => parseProto(`syntax = "proto2";\npackage p;\n${body}`, "x.proto");
    assert.throws(p("message A { message B {} }"), /unsupported construct "message"/);
    assert.throws(p("enum E { A = 0; }"), /unsupported top-level construct "enum"/);
    assert.throws(p("message A { oneof x { string a = 1; } }"), /unsupported construct "oneof"/);
    assert.throws(p("message A { optional string a = 1 [deprecated = true]; }"), /field options are not supported/);
    assert.throws(p("message A { optional string a = 1; optional string b = 1; }"), /duplicate field number 1/);
    assert.throws(() => parseProto('syntax = "proto3";', "x.proto"), /syntax proto3 is not supported/);
  });
});

describe("Go type reader", () => {
  const pkg = parseGoPackage([
    {
      path: "types.go",
      text: `package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Widget is a thing.
type Widget struct {
	metav1.TypeMeta \`json:",inline"\`
	// Standard object metadata. Comments may say pods/* or */scale.
	// +optional
	metav1.ObjectMeta \`json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"\`

	/* a block
	   comment */
	Replicas *int32 \`json:"replicas,omitempty" protobuf:"varint,3,opt,name=replicas"\`
	Source \`json:",inline" protobuf:"bytes,2,opt,name=source"\`
	Sizes map[string]resource.Quantity \`json:"sizes" protobuf:"bytes,4,rep,name=sizes"\`
	Cells []interface{} \`json:"cells"\`
}

type Source struct{}

type Verbs []string

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type WidgetList metav1.List
`,
    },
    { path: "register.go", text: 'package v1\n\nconst GroupName = "example.com"\n' },
  ]);

  it("reads fields in order with their Go types and tags", () => {
    const w = pkg.structs.get("Widget")!;
    assert.equal(w.isObject, true);
    assert.deepEqual(
      w.fields.map((f) => [f.name, f.embedded, f.type, f.json?.name, f.json?.omitempty, f.protobuf?.number]),
      [
        ["TypeMeta", true, "metav1.TypeMeta", "", false, undefined],
        ["ObjectMeta", true, "metav1.ObjectMeta", "metadata", true, 1],
        ["Replicas", false, "*int32", "replicas", true, 3],
        ["Source", true, "Source", "", false, 2],
        ["Sizes", false, "map[string]resource.Quantity", "sizes", false, 4],
        ["Cells", false, "[]interface{}", "cells", false, undefined],
      ],
    );
  });

  it("reads empty structs, named types, imports and the group name", () => {
    assert.deepEqual(pkg.structs.get("Source")!.fields, []);
    assert.equal(pkg.structs.get("Source")!.isObject, false);
    assert.equal(pkg.named.get("Verbs"), "[]string");
    assert.equal(pkg.named.get("WidgetList"), "metav1.List");
    assert.equal(pkg.imports.get("metav1"), "k8s.io/apimachinery/pkg/apis/meta/v1");
    assert.equal(pkg.imports.get("resource"), "k8s.io/apimachinery/pkg/api/resource");
    assert.equal(pkg.groupName, "example.com");
  });
});
