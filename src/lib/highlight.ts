/**
 * Splits text into marked and unmarked pieces for showing which parts matched a search.
 * Matching is done on a folded copy of the text that has exactly one UTF-16 unit per unit
 * of the original, so every index found in the copy is an index into the original.
 */
export interface HighlightSpec {
  /** Lower-cased search terms and phrases, matched as substrings (Japanese has no word boundaries). */
  terms: string[];
  /** English stems ("run" for "running"): mark whole words that start with one. */
  stems: string[];
}
export type Piece = { text: string; mark: boolean };

/**
 * Folds one UTF-16 unit: full-width ASCII (Ａ, ｂ, ０, ！) to ASCII as NFKC would, any
 * whitespace to a space, and letters to lower case where that stays one unit. Half-width
 * katakana are left alone: NFKC can merge two of them (ｶﾞ → ガ), which would break the 1:1 map.
 */
function foldUnit(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) c = String.fromCharCode(code - 0xfee0);
  else if (/\s/u.test(c))
    return " "; // the ideographic space, NBSP, line breaks: "a b" finds "a\nb"
  else if (code >= 0xd800 && code <= 0xdfff) return c; // half of a surrogate pair
  const lower = c.toLowerCase();
  return lower.length === 1 ? lower : c; // "İ" lower-cases to two units: keep it
}

function fold(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += foldUnit(s[i] as string);
  return out;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

// A word for stem matching. Han, kana and Hangul are excluded so that "Runningが好き" gives
// the word "Running" rather than the whole run of letters up to the next space.
const WORD = /(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u30fc])[\p{L}\p{N}\p{M}])+/gu;

export function highlight(text: string, spec: HighlightSpec): Piece[] {
  if (text === "") return [];
  const folded = fold(text);
  const ranges: [number, number][] = [];

  for (const term of spec.terms) {
    const needle = fold(term);
    if (needle === "") continue;
    // Step by one so overlapping occurrences ("aa" in "aaa") are all found.
    for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + 1)) {
      ranges.push([at, at + needle.length]);
    }
  }

  const stems = spec.stems.map(fold).filter((s) => Array.from(s).length >= 2);
  if (stems.length > 0) {
    for (const m of text.matchAll(WORD)) {
      const start = m.index;
      const end = start + m[0].length;
      const word = folded.slice(start, end);
      if (stems.some((s) => word.startsWith(s))) ranges.push([start, end]);
    }
  }

  if (ranges.length === 0) return [{ text, mark: false }];

  // Widen any range that would cut a surrogate pair (possible only with odd terms), then merge
  // overlapping and touching ranges so one highlight never sits right next to another.
  for (const r of ranges) {
    if (r[0] > 0 && isLow(text.charCodeAt(r[0])) && isHigh(text.charCodeAt(r[0] - 1))) r[0]--;
    if (r[1] < text.length && isLow(text.charCodeAt(r[1])) && isHigh(text.charCodeAt(r[1] - 1))) r[1]++;
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }

  const pieces: Piece[] = [];
  let at = 0;
  for (const [start, end] of merged) {
    if (start > at) pieces.push({ text: text.slice(at, start), mark: false });
    pieces.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mark: false });
  return pieces;
}
