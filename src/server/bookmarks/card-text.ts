import { linkUrls, urlWords } from "~/lib/link-cards";
import { unescapeXText } from "~/lib/post-text";
import type { PostRow } from "~/server/x/map";

/** Cap on the searchable extras of one bookmark, so a hostile page title cannot bloat the index. */
const MAX_CARD_TEXT = 4000;

/**
 * What a bookmark's card shows beyond the post's own text, as one searchable string (the
 * Bookmark's `cardText`, folded into the generated search columns): each linked URL as words
 * (domain and path), link titles and descriptions, media alt text, and the quoted post's text
 * and alt text.
 */
export function cardText(post: Pick<PostRow, "entities" | "media">, quoted?: Pick<PostRow, "text" | "media"> | null): string {
  const parts: string[] = [];
  for (const url of linkUrls(post.entities)) parts.push(urlWords(url));
  for (const u of post.entities?.urls ?? []) {
    if (u.media_key) continue;
    if (u.title) parts.push(u.title);
    if (u.description) parts.push(u.description);
  }
  for (const m of post.media ?? []) if (m.altText) parts.push(m.altText);
  if (quoted) {
    parts.push(unescapeXText(quoted.text));
    for (const m of quoted.media ?? []) if (m.altText) parts.push(m.altText);
  }
  const text = [...new Set(parts.map((p) => p.trim()).filter(Boolean))].join("\n");
  return Array.from(text).slice(0, MAX_CARD_TEXT).join("");
}
