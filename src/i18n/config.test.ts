import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage, resolveLocale, validTimeZone } from "./config";

describe("locale resolution", () => {
  it("reads Accept-Language: ja → ja, anything else → en", () => {
    expect(localeFromAcceptLanguage("ja-JP,ja;q=0.9,en;q=0.8")).toBe("ja");
    expect(localeFromAcceptLanguage("ja")).toBe("ja");
    expect(localeFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR,fr;q=0.9,ja;q=0.5")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0.4,ja;q=0.8")).toBe("ja");
    expect(localeFromAcceptLanguage("*")).toBe("en");
    expect(localeFromAcceptLanguage("")).toBe("en");
    expect(localeFromAcceptLanguage(null)).toBe("en");
  });

  it("prefers the stored choice, then the cookie, then the header", () => {
    expect(resolveLocale({ stored: "en", cookie: "ja", acceptLanguage: "ja" })).toBe("en");
    expect(resolveLocale({ stored: null, cookie: "ja", acceptLanguage: "en" })).toBe("ja");
    expect(resolveLocale({ stored: null, cookie: "xx", acceptLanguage: "ja-JP" })).toBe("ja");
    expect(resolveLocale({})).toBe("en");
  });

  it("accepts only time zones the runtime knows", () => {
    expect(validTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(validTimeZone("Not/AZone")).toBe("UTC");
    expect(validTimeZone(undefined)).toBe("UTC");
  });
});
