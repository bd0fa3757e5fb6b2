import type { Entities } from "./post-text";
import { safeHttpsUrl } from "./safe-url";

/** A link preview as the card shows it, from one of X's `entities.urls` items. */
export interface LinkCard {
  /** Where the link goes: X's unwound URL (after redirects), else the expanded one. */
  href: string;
  /** The host without `www.`, shown above the title. */
  domain: string;
  title: string | null;
  description: string | null;
  image: { url: string; width: number | null; height: number | null } | null;
}

type UrlEntity = NonNullable<Entities["urls"]>[number];

/** Where a URL entity points (media links and links that are not https give none). */
function destination(u: UrlEntity): string | null {
  if (u.media_key) return null;
  return safeHttpsUrl(u.unwound_url ?? u.expanded_url ?? u.url);
}

/**
 * The link cards of a post: its URLs that X could read (a title, description or image), once
 * each. Links without metadata (and quote links to x.com) stay plain links in the text.
 */
export function linkCards(entities: Entities | null | undefined): LinkCard[] {
  const seen = new Set<string>();
  const cards: LinkCard[] = [];
  for (const u of entities?.urls ?? []) {
    const href = destination(u);
    if (!href || seen.has(href)) continue;
    const title = u.title?.trim() || null;
    const description = u.description?.trim() || null;
    // X lists several sizes of the same preview; the largest is the one to show.
    const best = (u.images ?? [])
      .map((i) => ({ url: safeHttpsUrl(i.url), width: i.width ?? null, height: i.height ?? null }))
      .filter((i): i is LinkCard["image"] & {} => i.url !== null)
      .sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
    if (!title && !description && !best) continue;
    seen.add(href);
    cards.push({ href, domain: new URL(href).hostname.replace(/^www\./, ""), title, description, image: best ?? null });
  }
  return cards;
}

/**
 * A URL as words a search can find: the host, then the path's segments split at `/ - _ . + =`
 * and percent-decoded (`https://blog.example.com/2024/fast-csv?x=1` → `blog.example.com 2024
 * fast csv x 1`). The raw URL would be one token to the full-text parser.
 */
export function urlWords(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "";
  }
  let rest = `${u.pathname} ${u.search.slice(1)}`;
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // A malformed escape: keep the path as it is.
  }
  const words = rest.split(/[\s/\-_.+=&?#:;,~%]+/u).filter(Boolean);
  return [u.hostname.replace(/^www\./, ""), ...words].join(" ");
}

/** Every URL a post links to (not its media), for search: the unwound one and the expanded one. */
export function linkUrls(entities: Entities | null | undefined): string[] {
  const out = new Set<string>();
  for (const u of entities?.urls ?? []) {
    if (u.media_key) continue;
    for (const v of [u.unwound_url, u.expanded_url]) if (v) out.add(v);
  }
  return [...out];
}
