"use client";

import { useMutationState } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { memo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { linkCards } from "~/lib/link-cards";
import type { BookmarkView } from "~/server/bookmarks/list";
import { useQueuedEdits } from "~/trpc/offline-queue";
import { useTRPC } from "~/trpc/react";
import { useBookmarkEditor, type EditBase, type EditChanges } from "./bookmark-edits";
import { CategoryPicker } from "./category-picker";
import { isTypingTarget } from "./library-client";
import { useLibrary } from "./library-context";
import { LinkCard } from "./link-card";
import { MediaGrid } from "./media-grid";
import { NoteEditor } from "./note-editor";
import { withPendingEdits, type Edit, type Field } from "./pending-edits";
import { PostByline } from "./post-byline";
import { PostText } from "./post-text";
import { QuotedPost } from "./quoted-post";
import { TagEditor } from "./tag-editor";
import { useFormat } from "./use-format";

export const BookmarkCard = memo(function BookmarkCard({
  bookmark,
  selected,
  onToggleSelect,
}: {
  bookmark: BookmarkView;
  selected: boolean;
  onToggleSelect: (id: string, range: boolean) => void;
}) {
  const trpc = useTRPC();
  const library = useLibrary();
  const t = useTranslations("card");
  const format = useFormat();
  const send = useBookmarkEditor();
  const article = useRef<HTMLElement>(null);
  const { post, author } = bookmark;
  const spec = library.highlight;

  const inFlight = useMutationState({
    filters: {
      mutationKey: trpc.bookmarks.update.mutationKey(),
      status: "pending",
      predicate: (m) => (m.state.variables as Edit | undefined)?.id === bookmark.id,
    },
    select: (m) => m.state.variables as Edit,
  });
  // Edits waiting on this device for the network show as pending too, in the order they were made.
  const queued = useQueuedEdits().filter((q) => q.input.id === bookmark.id);
  const shown = withPendingEdits(bookmark, queued.length ? [...queued.map((q) => q.input), ...inFlight] : inFlight, library.categories);

  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [noteDraft, setNoteDraftState] = useState<string | null>(null);
  // The note as it was when the editor opened: the edit's base, even if the note changes
  // elsewhere meanwhile (then saving answers CONFLICT rather than overwriting it unseen).
  const noteBase = useRef<EditBase | null>(null);
  const setNoteDraft = (draft: string | null) => {
    if (draft !== null && noteDraft === null)
      noteBase.current = { ...bookmark, favorite: shown.favorite, category: shown.category, note: shown.note };
    setNoteDraftState(draft);
  };
  /** What this tab shows now: the base of a quick edit. */
  const seen = (): EditBase => ({ ...bookmark, favorite: shown.favorite, note: shown.note, category: shown.category });
  const edit = (field: Field, changes: EditChanges, base: EditBase = seen()) => {
    setErrors((e) => ({ ...e, [field]: undefined }));
    return send(base, changes).catch((err: Error) => {
      setErrors((e) => ({ ...e, [field]: err.message }));
      throw err;
    });
  };
  const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

  const toggleFavorite = () => quietly(edit("favorite", { favorite: !shown.favorite }));
  const openNote = () => setNoteDraft(shown.note);

  // Shortcuts on a focused card (j/k/x are the list's): f = favourite, t = tag, n = note.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
    if (e.key === "f") toggleFavorite();
    else if (e.key === "t") article.current?.querySelector<HTMLInputElement>("[data-testid=tag-input]")?.focus();
    else if (e.key === "n") openNote();
    else return;
    e.preventDefault();
  };

  const cards = linkCards(post.entities);
  const likes = post.metrics?.like_count;
  const reposts = post.metrics?.retweet_count;
  const otherError = errors.favorite ?? errors.category;
  return (
    <article
      ref={article}
      tabIndex={0}
      aria-label={`Post by ${author.name}`}
      data-testid="bookmark"
      data-post-id={post.id}
      data-bookmark-id={bookmark.id}
      data-selected={selected || undefined}
      onKeyDown={onKeyDown}
      className={`group/card -mx-2 scroll-mt-36 border-b border-zinc-200 px-3 py-4 focus-visible:-outline-offset-2 dark:border-zinc-800 ${
        selected ? "bg-sky-50/80 dark:bg-sky-950/30" : ""
      }`}
    >
      <div className="flex gap-3">
        <div className="flex shrink-0 flex-col items-center gap-2">
          <a
            href={`https://x.com/${author.username}`}
            target="_blank"
            rel="noreferrer"
            tabIndex={-1}
            aria-label={t("profile", { name: author.name })}
          >
            {author.profileImageUrl ? (
              <img
                src={author.profileImageUrl}
                alt=""
                loading="lazy"
                width={40}
                height={40}
                className="size-10 rounded-full bg-zinc-200 object-cover"
              />
            ) : (
              <span aria-hidden className="grid size-10 place-items-center rounded-full bg-zinc-300 font-semibold">
                {author.name.slice(0, 1)}
              </span>
            )}
          </a>
          <input
            type="checkbox"
            checked={selected}
            aria-label={t("selectPost", { name: author.name })}
            data-testid="select-bookmark"
            onChange={() => undefined}
            onClick={(e: MouseEvent<HTMLInputElement>) => onToggleSelect(bookmark.id, e.shiftKey)}
            className={`size-4 cursor-pointer accent-sky-600 ${selected ? "" : "opacity-40 group-focus-within/card:opacity-100 group-hover/card:opacity-100"}`}
          />
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex items-start gap-2">
            <div className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-1.5 text-sm">
              <PostByline author={author} postedAt={post.postedAt} url={post.url} spec={spec} />
              {bookmark.removedOnXAt && (
                <span
                  data-testid="removed-on-x"
                  title={t("removedOnXTitle", { when: format.dateTime(bookmark.removedOnXAt) })}
                  className="ml-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100"
                >
                  {t("removedOnX")}
                </span>
              )}
              {post.deletedOnXAt && (
                <span
                  data-testid="deleted-on-x"
                  title={t("deletedOnXTitle")}
                  className="ml-1 rounded-full bg-rose-100 px-2 py-0.5 text-xs font-medium text-rose-900 dark:bg-rose-900 dark:text-rose-100"
                >
                  {t("deletedOnX", { when: format.date(post.deletedOnXAt) })}
                </span>
              )}
            </div>
            <button
              type="button"
              aria-pressed={shown.favorite}
              aria-label={shown.favorite ? t("favoriteRemove") : t("favoriteAdd")}
              title={shown.favorite ? t("favoriteTitle") : t("favoriteAddTitle")}
              data-testid="favorite-toggle"
              onClick={toggleFavorite}
              className={`-mt-1 grid size-8 shrink-0 place-items-center rounded-full text-lg leading-none hover:bg-amber-50 dark:hover:bg-amber-950/40 ${
                shown.favorite ? "text-amber-500" : "text-zinc-400 hover:text-amber-500"
              } ${shown.pending.has("favorite") ? "opacity-60" : ""}`}
            >
              {shown.favorite ? "★" : "☆"}
            </button>
          </div>
          {post.replyTo && <QuotedPost kind="replied_to" post={post.replyTo.post} spec={spec} />}
          <PostText
            text={post.text}
            entities={post.entities}
            lang={post.lang}
            spec={spec}
            testId="post-text"
            className="mt-1 text-[15px] leading-relaxed"
          />
          {post.media.length > 0 && <MediaGrid media={post.media} postUrl={post.url} />}
          {cards.map((c) => (
            <LinkCard key={c.href} card={c} spec={spec} />
          ))}
          {post.quoted && <QuotedPost kind="quoted" post={post.quoted.post} spec={spec} />}
          <NoteEditor
            note={shown.note}
            spec={spec}
            draft={noteDraft}
            setDraft={setNoteDraft}
            pending={shown.pending.has("note")}
            onSave={(note) => edit("note", { note }, noteBase.current ?? seen())}
          />
          <div className="mt-2 flex flex-wrap items-center gap-1.5">
            <CategoryPicker
              category={shown.category}
              pending={shown.pending.has("category")}
              onPick={(categoryId) => quietly(edit("category", { categoryId }))}
            />
            <TagEditor
              tags={shown.tags}
              error={errors.tags ?? null}
              onAdd={(name) => edit("tags", { addTags: [name] })}
              onRemove={(tagId) => quietly(edit("tags", { removeTagIds: [tagId] }))}
            />
          </div>
          {otherError && (
            <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
              {otherError}
            </p>
          )}
          <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500">
            {reposts !== undefined && <span>{t("reposts", { count: reposts })}</span>}
            {likes !== undefined && <span>{t("likes", { count: likes })}</span>}
            {!shown.note && noteDraft === null && (
              <button
                type="button"
                onClick={openNote}
                data-testid="add-note"
                className="rounded-full hover:text-zinc-800 hover:underline dark:hover:text-zinc-200"
              >
                {t("addNote")}
              </button>
            )}
            <a href={post.url} target="_blank" rel="noreferrer" className="ml-auto text-sky-600 hover:underline dark:text-sky-400">
              {t("viewOnX")}
            </a>
          </div>
        </div>
      </div>
    </article>
  );
});
