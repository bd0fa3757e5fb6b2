import { TRPCError } from "@trpc/server";
import type messages from "../../../messages/en.json";

/** A key of the "errors" messages (messages/en.json): what the reader is told, in their language. */
export type ErrorKey = keyof (typeof messages)["errors"];
export type ErrorParams = Record<string, string | number>;

/**
 * The cause of a refusal the user sees: a message key and its parameters travel to the client
 * (errorFormatter in trpc.ts puts them on `data.i18n`), which renders them in the reader's
 * language. The Error's own message stays English, for logs and for clients without the catalogue.
 */
export class UserMessage extends Error {
  constructor(
    readonly key: ErrorKey,
    readonly params: ErrorParams,
    english: string,
  ) {
    super(english);
    this.name = "UserMessage";
  }
}

/** A TRPCError whose message the client shows translated. */
export function userError(code: TRPCError["code"], key: ErrorKey, english: string, params: ErrorParams = {}): TRPCError {
  return new TRPCError({ code, message: english, cause: new UserMessage(key, params, english) });
}

/** What the error formatter sends: the key and parameters, when the error has them. */
export function i18nOf(cause: unknown, internal: boolean): { key: ErrorKey; params: ErrorParams } | null {
  if (internal) return { key: "internal", params: {} };
  return cause instanceof UserMessage ? { key: cause.key, params: cause.params } : null;
}
