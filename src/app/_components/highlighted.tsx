import { Fragment } from "react";
import { highlight, type HighlightSpec } from "~/lib/highlight";

const EMPTY: HighlightSpec = { terms: [], stems: [] };

/** Text with the search's words marked. */
export function Highlighted({ text, spec = EMPTY }: { text: string; spec?: HighlightSpec }) {
  if (spec.terms.length === 0 && spec.stems.length === 0) return <>{text}</>;
  return (
    <>
      {highlight(text, spec).map((p, i) =>
        p.mark ? (
          <mark key={i} className="rounded-sm bg-amber-200 text-zinc-900 dark:bg-amber-400/35 dark:text-inherit">
            {p.text}
          </mark>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}
