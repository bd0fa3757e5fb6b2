import type { HighlightSpec } from "~/lib/highlight";
import type { LinkCard as LinkCardData } from "~/lib/link-cards";
import { Highlighted } from "./highlighted";
import { aspectRatio } from "./media-grid";

/** X's usual preview shape (1.91:1) when the image's size is not known. */
const PREVIEW_RATIO = 1.91;

/** A link preview: image (lazy, in a box sized up front), domain, title and description. */
export function LinkCard({ card, spec }: { card: LinkCardData; spec: HighlightSpec }) {
  const { image } = card;
  return (
    <a
      href={card.href}
      target="_blank"
      rel="noreferrer noopener"
      data-testid="link-card"
      className="mt-2 block overflow-hidden rounded-xl border border-zinc-200 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900"
    >
      {image && (
        <div
          className="bg-zinc-100 dark:bg-zinc-800"
          style={{ aspectRatio: String(aspectRatio(image.width, image.height, PREVIEW_RATIO)) }}
        >
          <img
            src={image.url}
            alt=""
            loading="lazy"
            decoding="async"
            width={image.width ?? undefined}
            height={image.height ?? undefined}
            className="size-full object-cover"
          />
        </div>
      )}
      <div className="space-y-0.5 px-3 py-2 text-sm">
        <p className="truncate text-xs text-zinc-500" data-testid="link-card-domain">
          <Highlighted text={card.domain} spec={spec} />
        </p>
        {card.title && (
          <p className="line-clamp-2 font-medium" data-testid="link-card-title">
            <Highlighted text={card.title} spec={spec} />
          </p>
        )}
        {card.description && (
          <p className="line-clamp-2 text-zinc-600 dark:text-zinc-400">
            <Highlighted text={card.description} spec={spec} />
          </p>
        )}
      </div>
    </a>
  );
}
