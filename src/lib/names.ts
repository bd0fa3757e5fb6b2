/**
 * Normalisation and validation of the names and text a person types: tag and category
 * names, notes and colours. Shared by the server's zod schemas and the search parser so
 * that "#AI" typed in the search box and "ＡＩ" typed into the tag editor meet.
 */
import { z } from "zod";

// Unicode category Cc (C0, DEL, C1) and the bidi embedding/override/isolate controls,
// which can make a name display as something other than what it is.
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
// Notes are multi-line text: tabs and line breaks are content there, everything else is not.
// \r is allowed too because pasted text may carry CRLF; it is turned into \n below.
const NOTE_CONTROL = /[^\P{Cc}\t\n\r]|[\u202A-\u202E\u2066-\u2069]/u;

// Code points, not UTF-16 units: an emoji is one character to the person typing it.
const codePoints = (s: string) => Array.from(s).length;

/** NFKC (full-width → ASCII, half-width kana → full-width), trim, and one space between words. */
function normalizeText(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/gu, " ").trim();
}

/** `＃ ＡＩ　 ツール` → `AI ツール`. Does not validate; see `tagNameSchema`. */
export function normalizeTagName(raw: string): string {
  // Strip the `#` after NFKC so the full-width `＃` goes too, then trim again for "# ai".
  return normalizeText(raw).replace(/^#+/u, "").trim();
}

/**
 * The name as typed without its leading `#` (half- or full-width), for what a screen shows before
 * the server's normalised name arrives (optimistic edits, "Create #…"). Not a normaliser.
 */
export function stripTagMark(typed: string): string {
  return typed.trim().replace(/^[#＃]+/u, "");
}

/** Identity of a tag for uniqueness and matching: `AI` and `ai` are the same tag. */
export function tagKey(name: string): string {
  return normalizeTagName(name).toLowerCase();
}

/** Categories keep a leading `#`: it is only tag syntax in the search box. */
export function normalizeCategoryName(raw: string): string {
  return normalizeText(raw);
}

export function categoryKey(name: string): string {
  return normalizeCategoryName(name).toLowerCase();
}

function nameSchema(opts: { normalize: (raw: string) => string; max: number; empty: string; tooLong: string; control: string }) {
  return (
    z
      .string()
      // On the raw input: collapsing whitespace would otherwise hide \n and \t.
      .refine((s) => !CONTROL.test(s), { error: opts.control, abort: true })
      .transform(opts.normalize)
      .pipe(
        z
          .string()
          .min(1, { error: opts.empty })
          .refine((s) => codePoints(s) <= opts.max, { error: opts.tooLong }),
      )
  );
}

export const TAG_NAME_MAX = 50;
export const CATEGORY_NAME_MAX = 40;
export const NOTE_MAX = 10_000;

export const tagNameSchema = nameSchema({
  normalize: normalizeTagName,
  max: TAG_NAME_MAX,
  empty: "A tag needs a name.",
  tooLong: `Tag names can be at most ${TAG_NAME_MAX} characters.`,
  control: "Tag names can't contain control characters.",
});

export const categoryNameSchema = nameSchema({
  normalize: normalizeCategoryName,
  max: CATEGORY_NAME_MAX,
  empty: "A category needs a name.",
  tooLong: `Category names can be at most ${CATEGORY_NAME_MAX} characters.`,
  control: "Category names can't contain control characters.",
});

/** A bookmark's note. The empty string means "no note". */
export const noteSchema = z
  .string()
  .refine((s) => !NOTE_CONTROL.test(s), { error: "Notes can't contain control characters.", abort: true })
  // NFC, not NFKC: a note is the person's own prose and full-width letters there are deliberate.
  .transform((s) => s.replace(/\r\n?/g, "\n").normalize("NFC").trim())
  .pipe(z.string().refine((s) => codePoints(s) <= NOTE_MAX, { error: "Notes can be at most 10,000 characters." }));

export const colorSchema = z
  .string()
  .regex(/^#[0-9a-f]{6}$/i, { error: "Pick a colour like #3b82f6." })
  .transform((s) => s.toLowerCase());

/** Tailwind's 500 shades: readable as chips on both light and dark backgrounds. */
export const CATEGORY_COLORS = [
  "#3b82f6", // blue
  "#ef4444", // red
  "#f97316", // orange
  "#eab308", // yellow
  "#22c55e", // green
  "#14b8a6", // teal
  "#06b6d4", // cyan
  "#8b5cf6", // violet
  "#ec4899", // pink
  "#64748b", // slate
] as const;
