import { useTranslations } from "next-intl";
import type { HighlightSpec } from "~/lib/highlight";
import type { AuthorView } from "~/server/bookmarks/list";
import { Highlighted } from "./highlighted";
import { useFormat } from "./use-format";

/** Who posted it and when: name (verified mark), @handle and the date linking to the post on X. */
export function PostByline({ author, postedAt, url, spec }: { author: AuthorView; postedAt: Date; url: string; spec: HighlightSpec }) {
  const t = useTranslations("card");
  const format = useFormat();
  return (
    <>
      <a href={`https://x.com/${author.username}`} target="_blank" rel="noreferrer" className="font-semibold hover:underline">
        <Highlighted text={author.name} spec={spec} />
      </a>
      {author.verified && (
        <span aria-label={t("verified")} title={t("verifiedTitle")} className="text-sky-500">
          ✔
        </span>
      )}
      <span className="text-zinc-500">
        @<Highlighted text={author.username} spec={spec} />
      </span>
      <span aria-hidden className="text-zinc-400">
        ·
      </span>
      <a href={url} target="_blank" rel="noreferrer" className="text-zinc-500 hover:underline">
        <time dateTime={new Date(postedAt).toISOString()} title={format.dateTime(postedAt)}>
          {format.date(postedAt)}
        </time>
      </a>
    </>
  );
}
