// How CRD property names become CEL field names (upstream k8s.io/apiserver/pkg/cel/escaping.go):
// CEL keywords are wrapped in double underscores, and "__", ".", "-", "/" are spelled out.
// Names that cannot be escaped (leading digit, other characters) are not visible to rules.

const RESERVED = new Set([
  "true", "false", "null", "in",
  "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
  "loop", "package", "namespace", "return", "var", "void", "while",
]);

const EXPANSIONS: Record<string, string> = { __: "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__" };

/** The CEL field name of a property name, or undefined when it has none (upstream cel.Escape). */
export function escapePropertyName(name: string): string | undefined {
  if (name.length === 0 || (name[0]! >= "0" && name[0]! <= "9")) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9_]/g, (s) => {
    const e = EXPANSIONS[s];
    if (e === undefined) ok = false;
    return e ?? "";
  });
  return ok ? escaped : undefined;
}
