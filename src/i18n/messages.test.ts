import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import ja from "../../messages/ja.json";

/** Every leaf's dotted key ("library.count"). */
function keys(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("message catalogues", () => {
  it("have exactly the same keys in English and Japanese", () => {
    const enKeys = keys(en).sort();
    const jaKeys = keys(ja).sort();
    expect(
      jaKeys.filter((k) => !enKeys.includes(k)),
      "keys only in ja.json",
    ).toEqual([]);
    expect(
      enKeys.filter((k) => !jaKeys.includes(k)),
      "keys only in en.json",
    ).toEqual([]);
  });

  it("parse and format every message in both languages (ICU syntax is valid)", () => {
    for (const [locale, messages] of [
      ["en", en],
      ["ja", ja],
    ] as const) {
      const t = createTranslator({
        locale,
        messages: messages as typeof en,
        onError: (e) => {
          throw e;
        },
      });
      for (const key of keys(messages)) {
        // Every placeholder gets a stand-in (a number where a plural or number needs one): an
        // error here is a syntax error, not a missing value.
        const text = key.split(".").reduce<unknown>((m, k) => (m as Record<string, unknown>)[k], messages) as string;
        const params: Record<string, string | number | ((chunks: unknown) => unknown)> = {};
        for (const [, name, kind] of text.matchAll(/\{\s*(\w+)\s*(?:,\s*(\w+))?/g))
          params[name!] = kind === "plural" || kind === "number" ? 2 : "x";
        // Rich text (<code>…</code>): each tag gets a handler.
        for (const [, tag] of text.matchAll(/<(\w+)>/g)) params[tag!] = ((chunks: unknown) => chunks) as never;
        const rich = /<\w+>/.test(text);
        expect(() => (rich ? t.rich(key as never, params as never) : t(key as never, params as never)), `${locale}: ${key}`).not.toThrow();
      }
    }
  });

  it("pluralise for 0, 1 and many", () => {
    const tEn = createTranslator({ locale: "en", messages: en, namespace: "library" });
    const tJa = createTranslator({ locale: "ja", messages: ja as typeof en, namespace: "library" });
    expect([0, 1, 3000].map((count) => tEn("count", { count }))).toEqual(["0 bookmarks", "1 bookmark", "3,000 bookmarks"]);
    expect([0, 1, 3000].map((count) => tJa("count", { count }))).toEqual([
      "0 件のブックマーク",
      "1 件のブックマーク",
      "3,000 件のブックマーク",
    ]);
    const cEn = createTranslator({ locale: "en", messages: en, namespace: "connection" });
    expect([0, 1, 5].map((pending) => cEn("label", { state: "Live", sse: "false", pending }))).toEqual([
      "Connection: Live",
      "Connection: Live, 1 edit waiting to be saved",
      "Connection: Live, 5 edits waiting to be saved",
    ]);
  });
});
