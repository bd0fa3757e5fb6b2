import type { Db } from "~/server/db";
import type { MediaItem } from "~/server/x/map";
import type { XEntities } from "~/server/x/schemas";

/** A bookmark as the library shows it. */
export interface BookmarkView {
  id: string;
  version: number;
  firstSeenAt: Date;
  /** A full sync found this bookmark gone from X; it stays here (with its notes and tags). */
  removedOnXAt: Date | null;
  post: {
    id: string;
    text: string;
    postedAt: Date;
    lang: string | null;
    entities: XEntities | null;
    media: MediaItem[];
    metrics: Record<string, number> | null;
    url: string;
  };
  author: { id: string; username: string; name: string; profileImageUrl: string | null; verified: boolean };
}

export interface BookmarkPage {
  items: BookmarkView[];
  nextCursor: string | null;
}

/** Keyset cursor: the last item's (sortKey, id). */
export function encodeCursor(sortKey: bigint, id: bigint): string {
  return `${sortKey}:${id}`;
}
export function decodeCursor(cursor: string): { sortKey: bigint; id: bigint } {
  const [k, i] = cursor.split(":");
  return { sortKey: BigInt(k!), id: BigInt(i!) };
}

/**
 * One page of a user's library, newest bookmarked first, by keyset pagination on
 * (sortKey DESC, id DESC): constant cost per page however deep the scroll.
 */
export async function listBookmarks(db: Db, userId: string, opts: { cursor?: string | null; limit: number }): Promise<BookmarkPage> {
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const rows = await db.bookmark.findMany({
    where: {
      userId,
      ...(after && {
        OR: [{ sortKey: { lt: after.sortKey } }, { sortKey: after.sortKey, id: { lt: after.id } }],
      }),
    },
    orderBy: [{ sortKey: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    include: { post: { include: { author: true } } },
  });
  const more = rows.length > opts.limit;
  const page = more ? rows.slice(0, opts.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((b) => ({
      id: b.id.toString(),
      version: b.version,
      firstSeenAt: b.firstSeenAt,
      removedOnXAt: b.removedOnXAt,
      post: {
        id: b.post.id,
        text: b.post.text,
        postedAt: b.post.postedAt,
        lang: b.post.lang,
        entities: (b.post.entities as XEntities | null) ?? null,
        media: (b.post.media as MediaItem[] | null) ?? [],
        metrics: (b.post.metrics as Record<string, number> | null) ?? null,
        url: `https://x.com/${b.post.author.username}/status/${b.post.id}`,
      },
      author: {
        id: b.post.author.id,
        username: b.post.author.username,
        name: b.post.author.name,
        profileImageUrl: b.post.author.profileImageUrl,
        verified: b.post.author.verified,
      },
    })),
    nextCursor: more && last ? encodeCursor(last.sortKey, last.id) : null,
  };
}
