import { z } from "zod";

/**
 * A schema for text that holds JSON matching `schema`: text that is not JSON fails `safeParse`
 * like JSON of the wrong shape does, instead of throwing (a Redis message from another
 * publisher, a truncated write).
 */
export function jsonText<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "Not JSON." });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
