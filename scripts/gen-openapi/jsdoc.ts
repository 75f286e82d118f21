// Turns the raw text of a JSDoc block into the upstream description it was generated from.
//
// kubernetes-models writes one JSDoc line per line of the upstream description (so paragraph breaks
// survive as blank ` *` lines) and escapes `*` as `\*` (and `*/` as `*\/`) so the comment cannot end
// early. client-node writes the description on one line with `"` escaped as `\"`.
import ts from "typescript";

/** The `/** ... *\/` block directly in front of a node, or undefined. */
export function leadingJsDoc(sourceText: string, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sourceText, node.getFullStart()) ?? [];
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    const text = sourceText.slice(r.pos, r.end);
    if (text.startsWith("/**")) return text;
  }
  return undefined;
}

/** Strips the comment frame: `/**`, `*\/` and one leading ` * ` per line; keeps inner indentation. */
function commentLines(raw: string): string[] {
  const body = raw.replace(/^\/\*\*/, "").replace(/\*\/$/, "");
  const lines = body.split("\n").map((line) => {
    const m = line.match(/^\s*\*(?: ?)(.*)$/);
    return m ? m[1]! : line.trim();
  });
  while (lines.length && lines[0]!.trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines;
}

/** Description from a kubernetes-models JSDoc block, with paragraphs and list indentation kept. */
export function modelsDescription(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // kubernetes-models closes the block of a deprecated type with a `@deprecated` tag line of its
  // own; upstream's description already says so in words, and the tag is not part of it.
  const lines = commentLines(raw);
  while (lines.length && /^@deprecated\s*$/.test(lines[lines.length - 1]!.trim())) lines.pop();
  const text = lines
    .join("\n")
    .replace(/\*\\\//g, "*/")
    .replace(/\\\*/g, "*");
  return text === "" ? undefined : text;
}

/** Description from a client-node JSDoc block (single line, `\"` escaped). */
export function clientNodeDescription(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const text = commentLines(raw).join("\n").replace(/\\"/g, '"');
  return text === "" ? undefined : text;
}
