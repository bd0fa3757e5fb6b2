import type { BookmarkView } from "~/server/bookmarks/list";
import { segmentPostText } from "~/lib/post-text";
import { formatCountOf, formatDate, formatDateTime, formatDuration } from "./format";

type Media = BookmarkView["post"]["media"][number];

export function BookmarkCard({ bookmark }: { bookmark: BookmarkView }) {
  const { post, author } = bookmark;
  const segments = segmentPostText(post.text, post.entities);
  const likes = post.metrics?.like_count;
  const reposts = post.metrics?.retweet_count;
  return (
    <article
      aria-label={`Post by ${author.name}`}
      data-testid="bookmark"
      data-post-id={post.id}
      className="border-b border-zinc-200 px-1 py-4 dark:border-zinc-800"
    >
      <div className="flex gap-3">
        <a href={`https://x.com/${author.username}`} target="_blank" rel="noreferrer" className="shrink-0" tabIndex={-1}>
          {author.profileImageUrl ? (
            <img src={author.profileImageUrl} alt="" loading="lazy" className="size-10 rounded-full bg-zinc-200 object-cover" />
          ) : (
            <span aria-hidden className="grid size-10 place-items-center rounded-full bg-zinc-300 font-semibold">
              {author.name.slice(0, 1)}
            </span>
          )}
        </a>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-baseline gap-x-1.5 text-sm">
            <a href={`https://x.com/${author.username}`} target="_blank" rel="noreferrer" className="font-semibold hover:underline">
              {author.name}
            </a>
            {author.verified && (
              <span aria-label="verified" title="Verified" className="text-sky-500">
                ✔
              </span>
            )}
            <span className="text-zinc-500">@{author.username}</span>
            <span aria-hidden className="text-zinc-400">
              ·
            </span>
            <a href={post.url} target="_blank" rel="noreferrer" className="text-zinc-500 hover:underline">
              <time dateTime={new Date(post.postedAt).toISOString()} title={formatDateTime(post.postedAt)}>
                {formatDate(post.postedAt)}
              </time>
            </a>
            {bookmark.removedOnXAt && (
              <span
                data-testid="removed-on-x"
                title={`No longer bookmarked on X (noticed ${formatDateTime(bookmark.removedOnXAt)}); kept here`}
                className="ml-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100"
              >
                Removed on X
              </span>
            )}
          </div>
          <p lang={post.lang ?? undefined} className="post-text mt-1 text-[15px] leading-relaxed" data-testid="post-text">
            {segments.map((s, i) =>
              s.kind === "text" ? (
                <span key={i}>{s.text}</span>
              ) : (
                <a key={i} href={s.href} target="_blank" rel="noreferrer" className="text-sky-600 hover:underline dark:text-sky-400">
                  {s.text}
                </a>
              ),
            )}
          </p>
          {post.media.length > 0 && <MediaGrid media={post.media} postUrl={post.url} />}
          <div className="mt-2 flex items-center gap-4 text-xs text-zinc-500">
            {reposts !== undefined && <span>{formatCountOf(reposts, "repost")}</span>}
            {likes !== undefined && <span>{formatCountOf(likes, "like")}</span>}
            <a href={post.url} target="_blank" rel="noreferrer" className="ml-auto text-sky-600 hover:underline dark:text-sky-400">
              View on X ↗
            </a>
          </div>
        </div>
      </div>
    </article>
  );
}

function MediaGrid({ media, postUrl }: { media: Media[]; postUrl: string }) {
  const shown = media.slice(0, 4);
  const cols = shown.length === 1 ? "grid-cols-1" : "grid-cols-2";
  return (
    <div className={`mt-2 grid ${cols} gap-0.5 overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800`}>
      {shown.map((m, i) => {
        const video = m.type !== "photo";
        const tall = shown.length === 3 && i === 0;
        return (
          <a
            key={m.key}
            href={video ? postUrl : (m.url ?? postUrl)}
            target="_blank"
            rel="noreferrer"
            className={`relative block bg-zinc-100 dark:bg-zinc-800 ${tall ? "row-span-2" : ""} ${shown.length === 1 ? "aspect-video" : "aspect-[4/3]"}`}
            aria-label={m.altText ?? (video ? "Video" : "Image")}
          >
            {m.previewUrl && <img src={m.previewUrl} alt={m.altText ?? ""} loading="lazy" className="size-full object-cover" />}
            {video && (
              <span className="absolute inset-0 grid place-items-center">
                <span className="grid size-12 place-items-center rounded-full bg-black/60 text-xl text-white">▶</span>
                {m.durationMs !== null && (
                  <span className="absolute bottom-1.5 left-1.5 rounded bg-black/70 px-1.5 text-xs text-white">
                    {m.type === "animated_gif" ? "GIF" : formatDuration(m.durationMs)}
                  </span>
                )}
              </span>
            )}
          </a>
        );
      })}
    </div>
  );
}
