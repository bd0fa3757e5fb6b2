/**
 * The search box's query language:
 *
 *   words "quoted phrases" -negated from:handle #tag #"two words" tag:name category:name
 *   folder:name has:media|note|tags is:favorite|removed|deleted lang:ja before:2025-01-31 after:2025-01-01
 *
 * Parsing never throws: problems a person should fix are collected in `errors`, and
 * anything that only looks like an operator (`http://x.com`, `12:30`) is a plain word.
 */
import { categoryKey, tagKey } from "./names";

export interface SearchTerm {
  text: string;
  phrase: boolean;
  negate: boolean;
}
export interface Operator<T> {
  value: T;
  negate: boolean;
}
export interface ParsedQuery {
  terms: SearchTerm[];
  from: Operator<string>[];
  tags: Operator<string>[];
  categories: Operator<string>[];
  /** X bookmark folders by name (as the last full sync read them). */
  folders: Operator<string>[];
  has: Operator<"media" | "note" | "tags">[];
  is: Operator<"favorite" | "removed" | "deleted">[];
  lang: Operator<string>[];
  /** Posted before this instant (exclusive). */
  before: Date | null;
  /** Posted at or after this instant (inclusive). */
  after: Date | null;
  errors: string[];
}

// After NFKC the full-width ＂ is already ", so only the typographic and Japanese quotes remain.
// Straight and curly double quotes are interchangeable (IMEs and word processors mix them).
const CLOSERS: Record<string, string> = { '"': '"“”', "“": '"“”', "”": '"“”', "「": "」" };
const isOpener = (c: string | undefined) => c !== undefined && c in CLOSERS;
const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);

const HAS: Record<string, "media" | "note" | "tags"> = {
  media: "media",
  image: "media",
  images: "media",
  photo: "media",
  video: "media",
  note: "note",
  tags: "tags",
};
const IS: Record<string, "favorite" | "removed" | "deleted"> = {
  favorite: "favorite",
  fav: "favorite",
  starred: "favorite",
  removed: "removed",
  deleted: "deleted",
};
const OPERATORS = new Set(["from", "tag", "category", "folder", "has", "is", "lang", "before", "after"]);

const DATE_ERROR = {
  before: "before: expects a date like 2025-01-31",
  after: "after: expects a date like 2025-01-31",
} as const;

const collapse = (s: string) => s.replace(/\s+/gu, " ").trim();

/** A real calendar date as UTC midnight, or null. */
function parseDate(s: string): Date | null {
  const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const date = new Date(0);
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(y, mo - 1, d);
  // Out-of-range parts roll over (Feb 30 → Mar 2), so a round trip proves the date is real.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

function emptyQuery(): ParsedQuery {
  return { terms: [], from: [], tags: [], categories: [], folders: [], has: [], is: [], lang: [], before: null, after: null, errors: [] };
}

/**
 * Bounds on one search, checked after NFKC (which turns one character such as ﷺ into 18, and
 * four words): every word is one more condition in the SQL, so its cost grows with the words
 * times the library. The input box caps the typed text separately (filter.ts).
 */
export const SEARCH_LIMITS = { maxChars: 500, maxParts: 32 } as const;
export const TOO_LONG_ERROR = `Searches can be at most ${SEARCH_LIMITS.maxChars} characters (after expanding special characters such as ﷺ).`;
export const TOO_MANY_PARTS_ERROR = `Searches can have at most ${SEARCH_LIMITS.maxParts} words and operators.`;

export function parseSearchQuery(input: string): ParsedQuery {
  const q = emptyQuery();
  const errors = new Set<string>(); // one message per problem, however often it is repeated
  const s = input.normalize("NFKC");
  if (s.length > SEARCH_LIMITS.maxChars) {
    q.errors = [TOO_LONG_ERROR]; // not parsed at all: nothing of it is searched
    return q;
  }
  let i = 0;

  // Reads a quoted string starting at the opener at `i`; an unterminated quote runs to the end.
  const readQuoted = (): string => {
    const closers = CLOSERS[s[i] as string] as string;
    const start = ++i;
    while (i < s.length && !closers.includes(s[i] as string)) i++;
    const text = s.slice(start, i);
    if (i < s.length) i++; // the closing quote
    return text;
  };
  // A bare word ends at whitespace or where a quoted phrase begins.
  const readWord = (): string => {
    const start = i;
    while (i < s.length && !isSpace(s[i]) && !isOpener(s[i])) i++;
    return s.slice(start, i);
  };

  const applyOperator = (name: string, raw: string, negate: boolean): "ok" | "empty" => {
    switch (name) {
      case "from": {
        const value = raw.replace(/^@+/u, "").trim().toLowerCase();
        if (!value) return "empty";
        q.from.push({ value, negate });
        return "ok";
      }
      case "tag": {
        const value = tagKey(raw);
        if (!value) return "empty";
        q.tags.push({ value, negate });
        return "ok";
      }
      case "category": {
        const value = categoryKey(raw);
        if (!value) return "empty";
        q.categories.push({ value, negate });
        return "ok";
      }
      case "folder": {
        // X's folder names, matched like category names (NFKC, any case).
        const value = categoryKey(raw);
        if (!value) return "empty";
        q.folders.push({ value, negate });
        return "ok";
      }
      case "has": {
        const value = HAS[raw.toLowerCase()];
        if (value) q.has.push({ value, negate });
        else errors.add("has: accepts media, note or tags");
        return "ok";
      }
      case "is": {
        const value = IS[raw.toLowerCase()];
        if (value) q.is.push({ value, negate });
        else errors.add("is: accepts favorite, removed or deleted");
        return "ok";
      }
      case "lang": {
        const value = raw.toLowerCase();
        if (/^[a-z-]{2,8}$/.test(value)) q.lang.push({ value, negate });
        else errors.add("lang: expects a language code like en or ja");
        return "ok";
      }
      case "before":
      case "after": {
        const date = parseDate(raw);
        if (negate) errors.add("before: and after: cannot be negated");
        else if (!date) errors.add(DATE_ERROR[name]);
        else q[name] = date; // repeated: the last one wins
        return "ok";
      }
      default:
        return "empty";
    }
  };

  while (i < s.length) {
    if (isSpace(s[i])) {
      i++;
      continue;
    }
    // A `-` negates only when something follows it directly; a lone `-` is a word of its own.
    let negate = false;
    if (s[i] === "-" && i + 1 < s.length && !isSpace(s[i + 1])) {
      negate = true;
      i++;
    }

    if (isOpener(s[i])) {
      const text = collapse(readQuoted()).toLowerCase();
      if (text) q.terms.push({ text, phrase: true, negate });
      continue;
    }

    if (s[i] === "#") {
      i++;
      if (i >= s.length || isSpace(s[i])) continue; // a stray #
      applyOperator("tag", isOpener(s[i]) ? readQuoted() : readWord(), negate);
      continue;
    }

    const word = readWord();
    const colon = word.indexOf(":");
    const name = colon > 0 ? word.slice(0, colon).toLowerCase() : "";
    if (OPERATORS.has(name)) {
      const bare = word.slice(colon + 1);
      if (bare !== "") {
        if (applyOperator(name, bare, negate) === "ok") continue;
      } else if (isOpener(s[i])) {
        // `tag:"two words"`: the word stopped at the quote. Nothing usable inside is ignored,
        // like an empty phrase.
        const quoted = collapse(readQuoted());
        if (quoted !== "") applyOperator(name, quoted, negate);
        continue;
      }
      // `from:` alone, or a value that normalises to nothing (`from:@`): just a word.
    }
    q.terms.push({ text: word.toLowerCase(), phrase: false, negate });
  }

  if (q.after && q.before && q.after.getTime() >= q.before.getTime()) errors.add("after: must be earlier than before:");
  const parts =
    q.terms.length + q.from.length + q.tags.length + q.categories.length + q.folders.length + q.has.length + q.is.length + q.lang.length;
  if (parts > SEARCH_LIMITS.maxParts) errors.add(TOO_MANY_PARTS_ERROR);
  q.errors = [...errors];
  return q;
}

/** True when the query filters nothing (errors alone do not filter). */
export function isEmptyQuery(q: ParsedQuery): boolean {
  return (
    q.terms.length === 0 &&
    q.from.length === 0 &&
    q.tags.length === 0 &&
    q.categories.length === 0 &&
    q.folders.length === 0 &&
    q.has.length === 0 &&
    q.is.length === 0 &&
    q.lang.length === 0 &&
    q.before === null &&
    q.after === null
  );
}

/** Quotes a phrase or operator value with a quote pair that cannot end it early. */
function quote(text: string): string {
  return /["“”]/u.test(text) ? `「${text}」` : `"${text}"`;
}

/** An operator value as typed: bare when it reads back as one word, quoted otherwise. */
function value(text: string): string {
  return text === "" || /[\s"“”「]/u.test(text) ? quote(text) : text;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Canonical text of a parsed query, for cache keys and for showing it back. For any query
 * that `parseSearchQuery` returned without errors, parsing the result gives the same query
 * again. (Errors describe the original text, which is not kept, so they do not survive.)
 */
export function formatSearchQuery(q: ParsedQuery): string {
  const neg = (o: { negate: boolean }) => (o.negate ? "-" : "");
  const parts: string[] = [];
  for (const t of q.terms) parts.push(neg(t) + (t.phrase ? quote(t.text) : t.text));
  for (const o of q.from) parts.push(`${neg(o)}from:${value(o.value)}`);
  for (const o of q.tags) parts.push(`${neg(o)}#${value(o.value)}`);
  for (const o of q.categories) parts.push(`${neg(o)}category:${value(o.value)}`);
  for (const o of q.folders) parts.push(`${neg(o)}folder:${value(o.value)}`);
  for (const o of q.has) parts.push(`${neg(o)}has:${o.value}`);
  for (const o of q.is) parts.push(`${neg(o)}is:${o.value}`);
  for (const o of q.lang) parts.push(`${neg(o)}lang:${o.value}`);
  if (q.after) parts.push(`after:${isoDate(q.after)}`);
  if (q.before) parts.push(`before:${isoDate(q.before)}`);
  return parts.join(" ");
}
