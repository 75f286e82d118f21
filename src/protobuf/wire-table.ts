// Every protobuf message and kind the server decodes: the generated table plus the hand-kept
// facts of kinds outside the generator's inputs.
import { AGGREGATOR_KINDS, AGGREGATOR_MESSAGES } from "./aggregator-messages.js";
import { KINDS as GENERATED_KINDS, MESSAGES as GENERATED_MESSAGES } from "./messages.js";
import type { MessageTable } from "./table.js";

export const MESSAGES: MessageTable = { ...GENERATED_MESSAGES, ...AGGREGATOR_MESSAGES };
export const KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { ...GENERATED_KINDS, ...AGGREGATOR_KINDS };
