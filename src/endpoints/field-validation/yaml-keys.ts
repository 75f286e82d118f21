// Duplicate keys of a YAML document, reported as upstream's YAML decoder does:
// `line 5: key "name" already set in map`.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

export function yamlDuplicateKeys(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const out: string[] = [];
  const walk = (node: Node | null | undefined): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key) && isScalar(pair.key) && pair.key.range) {
          out.push(`line ${lineCounter.linePos(pair.key.range[0]).line}: key ${JSON.stringify(String(key))} already set in map`);
        }
        seen.add(key);
        walk(pair.value as Node);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item as Node);
    }
  };
  walk(doc.contents as Node);
  return out;
}
