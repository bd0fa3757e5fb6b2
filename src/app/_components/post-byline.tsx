import type { HighlightSpec } from "~/lib/highlight";
import type { AuthorView } from "~/server/bookmarks/list";
import { formatDate, formatDateTime } from "./format";
import { Highlighted } from "./highlighted";

/** Who posted it and when: name (verified mark), @handle and the date linking to the post on X. */
export function PostByline({ author, postedAt, url, spec }: { author: AuthorView; postedAt: Date; url: string; spec: HighlightSpec }) {
  return (
    <>
      <a href={`https://x.com/${author.username}`} target="_blank" rel="noreferrer" className="font-semibold hover:underline">
        <Highlighted text={author.name} spec={spec} />
      </a>
      {author.verified && (
        <span aria-label="verified" title="Verified" className="text-sky-500">
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
        <time dateTime={new Date(postedAt).toISOString()} title={formatDateTime(postedAt)}>
          {formatDate(postedAt)}
        </time>
      </a>
    </>
  );
}
