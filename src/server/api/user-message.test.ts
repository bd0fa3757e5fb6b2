import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { i18nOf, userError } from "./user-message";
import en from "../../../messages/en.json";
import ja from "../../../messages/ja.json";

describe("user-facing server errors", () => {
  it("carry a message key and parameters; the English message stays for logs", () => {
    const e = userError("NOT_FOUND", "importGone", "This import is gone: upload the file again.");
    expect(e.message).toBe("This import is gone: upload the file again.");
    expect(i18nOf(e.cause, false)).toEqual({ key: "importGone", params: {} });
    expect(i18nOf(new Error("db down"), false)).toBeNull();
    expect(i18nOf(new Error("db down"), true)).toEqual({ key: "internal", params: {} });
  });

  it("read the same in English as the server's own words, and in Japanese from the catalogue", () => {
    const { key } = i18nOf(userError("UNAUTHORIZED", "unauthorized", "Log in with X to continue.").cause, false)!;
    expect(createTranslator({ locale: "en", messages: en, namespace: "errors" })(key)).toBe("Log in with X to continue.");
    expect(createTranslator({ locale: "ja", messages: ja as typeof en, namespace: "errors" })(key)).toBe(
      "続けるには X でログインしてください。",
    );
  });
});
