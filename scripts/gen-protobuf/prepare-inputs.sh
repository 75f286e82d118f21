#!/bin/sh
# Lays out the generator's inputs from git clones of kubernetes/api, kubernetes/apimachinery and
# kubernetes/apiextensions-apiserver at one tag: every package that has a generated.proto, with that
# file and the package's hand-written Go sources (no tests, no generated Go).
#
#   scripts/gen-protobuf/prepare-inputs.sh <tag> <out-dir> <api.git> <apimachinery.git> <apiextensions-apiserver.git>
#   npx tsx scripts/gen-protobuf/main.ts <out-dir>
# <out-dir>/SOURCE records the repositories, tag and commits; the generator copies it into its header.
set -eu
tag=$1 out=$2
shift 2
mkdir -p "$out"
: > "$out/SOURCE"
for pair in "api:$1" "apimachinery:$2" "apiextensions-apiserver:$3"; do
  name=${pair%%:*} git=${pair#*:}
  echo "kubernetes/$name $tag ($(git -C "$git" rev-parse "$tag^{commit}"))" | tee -a "$out/SOURCE"
  for dir in $(git -C "$git" ls-tree -r --name-only "$tag" | grep '/generated\.proto$' | xargs -n1 dirname); do
    mkdir -p "$out/k8s.io/$name/$dir"
    for f in $(git -C "$git" ls-tree --name-only "$tag" "$dir/" | grep -E '(/generated\.proto|\.go)$' | grep -v -E '_test\.go$|/zz_generated|\.pb\.go$|swagger_doc'); do
      git -C "$git" show "$tag:$f" > "$out/k8s.io/$name/$f"
    done
  done
done
