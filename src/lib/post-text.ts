import { externalUrl } from "./safe-url";
/**
 * Splits a post's text into plain text and links using X's entities. X counts entity
 * positions in Unicode code points, so Japanese text and emoji are sliced by code point,
 * never by UTF-16 unit.
 */
export type Segment =
  | { kind: "text"; text: string }
  | { kind: "url"; text: string; href: string }
  | { kind: "mention"; text: string; href: string }
  | { kind: "hashtag"; text: string; href: string };

interface Span {
  start: number;
  end: number;
}
export interface Entities {
  urls?: (Span & {
    url: string;
    expanded_url?: string;
    display_url?: string;
    media_key?: string;
    unwound_url?: string | null;
    title?: string | null;
    description?: string | null;
    images?: { url?: string | null; width?: number | null; height?: number | null }[] | null;
  })[];
  mentions?: (Span & { username: string })[];
  hashtags?: (Span & { tag: string })[];
  cashtags?: (Span & { tag: string })[];
}

// X sends &, < and > HTML-escaped in post text.
export function unescapeXText(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** `mediaUrls` are t.co links that only point at attached media: they are dropped from the text. */
export function segmentPostText(text: string, entities: Entities | null | undefined, hideUrls: Set<string> = new Set()): Segment[] {
  const chars = Array.from(text);
  type Marked = Span & { seg: Segment | null };
  const marks: Marked[] = [];
  const slice = (s: Span) => chars.slice(s.start, s.end).join("");

  for (const u of entities?.urls ?? []) {
    const hidden = hideUrls.has(u.url) || u.media_key !== undefined;
    const text = u.display_url ?? u.expanded_url ?? u.url;
    // Only https links (an http site is still reached through its https t.co link); else plain text.
    const href = externalUrl(u.expanded_url) ?? externalUrl(u.url);
    marks.push({ ...u, seg: hidden ? null : href ? { kind: "url", text, href } : { kind: "text", text } });
  }
  for (const m of entities?.mentions ?? []) {
    marks.push({ ...m, seg: { kind: "mention", text: slice(m), href: `https://x.com/${encodeURIComponent(m.username)}` } });
  }
  for (const h of entities?.hashtags ?? []) {
    marks.push({ ...h, seg: { kind: "hashtag", text: slice(h), href: `https://x.com/hashtag/${encodeURIComponent(h.tag)}` } });
  }
  for (const c of entities?.cashtags ?? []) {
    marks.push({ ...c, seg: { kind: "hashtag", text: slice(c), href: `https://x.com/search?q=${encodeURIComponent(`$${c.tag}`)}` } });
  }

  // Ignore entities that are out of range or overlap an earlier one: show the text instead.
  marks.sort((a, b) => a.start - b.start);
  const segments: Segment[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start < at || m.end > chars.length || m.end <= m.start) continue;
    if (m.start > at) segments.push({ kind: "text", text: unescapeXText(chars.slice(at, m.start).join("")) });
    if (m.seg) segments.push(m.seg);
    at = m.end;
  }
  if (at < chars.length) segments.push({ kind: "text", text: unescapeXText(chars.slice(at).join("")) });
  // Trailing whitespace left behind by a removed media link.
  const last = segments.at(-1);
  if (last?.kind === "text") last.text = last.text.replace(/\s+$/, "");
  return segments.filter((s) => s.text.length > 0);
}
