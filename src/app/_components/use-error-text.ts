"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { errorText } from "./library-client";

interface TranslatableError {
  message: string;
  data?: {
    code?: string;
    zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null;
    /** Set by the server's error formatter (src/server/api/user-message.ts). */
    i18n?: { key: string; params: Record<string, string | number> } | null;
  } | null;
}

/**
 * errorText in the reader's language: a server refusal that carries a message key is rendered
 * from the catalogue ("errors" messages); others fall back to the server's (English) words.
 */
export function useErrorText() {
  const t = useTranslations("errors");
  return useCallback(
    (error: TranslatableError | null | undefined): string | null => {
      const i18n = error?.data?.i18n;
      if (i18n && t.has(i18n.key as never)) return t(i18n.key as never, i18n.params as never);
      return errorText(error);
    },
    [t],
  );
}
