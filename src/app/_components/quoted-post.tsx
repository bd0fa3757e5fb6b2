import { useTranslations } from "next-intl";
import type { HighlightSpec } from "~/lib/highlight";
import { linkCards } from "~/lib/link-cards";
import type { NestedPost } from "~/server/bookmarks/list";
import { LinkCard } from "./link-card";
import { MediaGrid } from "./media-grid";
import { PostByline } from "./post-byline";
import { PostText } from "./post-text";

/**
 * A quoted or replied-to post nested in a bookmark's card. `post` is null when X did not serve it
 * (deleted, protected): the card says so instead of leaving a gap.
 */
export function QuotedPost({ kind, post, spec }: { kind: "quoted" | "replied_to"; post: NestedPost | null; spec: HighlightSpec }) {
  const t = useTranslations("post");
  const testId = kind === "quoted" ? "quoted-post" : "replied-to-post";
  if (!post) {
    return (
      <p
        data-testid={testId}
        className="mt-2 rounded-xl border border-dashed border-zinc-300 px-3 py-2 text-sm text-zinc-500 dark:border-zinc-700"
      >
        {kind === "quoted" ? t("quotedMissing") : t("replyMissing")}
      </p>
    );
  }
  const { author } = post;
  const card = linkCards(post.entities)[0];
  return (
    <div data-testid={testId} data-post-id={post.id} className="mt-2 rounded-xl border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      {kind === "replied_to" && <p className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">{t("replyingTo")}</p>}
      <div className="flex min-w-0 flex-wrap items-center gap-x-1.5 text-sm">
        {author.profileImageUrl && (
          <img
            src={author.profileImageUrl}
            alt=""
            loading="lazy"
            width={20}
            height={20}
            className="size-5 rounded-full bg-zinc-200 object-cover"
          />
        )}
        <PostByline author={author} postedAt={post.postedAt} url={post.url} spec={spec} />
      </div>
      <PostText
        text={post.text}
        entities={post.entities}
        lang={post.lang}
        spec={spec}
        testId={`${testId}-text`}
        className={`mt-0.5 text-sm leading-relaxed ${kind === "replied_to" ? "line-clamp-4" : ""}`}
      />
      {post.media.length > 0 && <MediaGrid media={post.media} postUrl={post.url} compact />}
      {card && kind === "quoted" && <LinkCard card={card} spec={spec} />}
    </div>
  );
}
