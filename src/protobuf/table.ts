// The shape of the generated wire table (messages.ts) and lookups on it.

/** [field number, JSON name ("" = inlined), type, flags (r repeated, m map, o omitempty, p pointer, i inline)]. */
export type FieldRow = readonly [number: number, json: string, type: string, flags: string];

/** Fields in JSON order, or the name of a hand-written codec. */
export type MessageEntry = readonly FieldRow[] | string;

export type MessageTable = Readonly<Record<string, MessageEntry>>;
