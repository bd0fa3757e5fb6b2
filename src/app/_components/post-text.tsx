import type { HighlightSpec } from "~/lib/highlight";
import { segmentPostText, type Entities } from "~/lib/post-text";
import { Highlighted } from "./highlighted";

/** A post's text with its links, mentions and hashtags, and the search's words marked. */
export function PostText({
  text,
  entities,
  lang,
  spec,
  testId,
  className = "",
}: {
  text: string;
  entities: Entities | null;
  lang: string | null;
  spec: HighlightSpec;
  testId: string;
  className?: string;
}) {
  return (
    <p lang={lang ?? undefined} className={`post-text ${className}`} data-testid={testId}>
      {segmentPostText(text, entities).map((s, i) =>
        s.kind === "text" ? (
          <span key={i}>
            <Highlighted text={s.text} spec={spec} />
          </span>
        ) : (
          <a key={i} href={s.href} target="_blank" rel="noreferrer" className="text-sky-600 hover:underline dark:text-sky-400">
            <Highlighted text={s.text} spec={spec} />
          </a>
        ),
      )}
    </p>
  );
}
