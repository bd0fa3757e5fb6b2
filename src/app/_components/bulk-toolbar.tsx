"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { stripTagMark } from "~/lib/names";
import type { BulkAction } from "~/server/bookmarks/edit";
import type { BookmarkView } from "~/server/bookmarks/list";
import { useTRPC } from "~/trpc/react";
import { CategoryMenu } from "./category-picker";
import { formatCountOf } from "./format";
import { errorText, useInvalidateLibrary } from "./library-client";
import { useLibrary } from "./library-context";
import { ConfirmDialog } from "./modal";
import { MENU_ITEM, MenuList, Popover } from "./popover";
import { TagInput } from "./tag-input";
import { useToast } from "./toast";
import { XWriteActions } from "./x-write-actions";

type Action = BulkAction["action"];

const TOOL_BASE =
  "inline-flex items-center gap-1.5 rounded-full px-3 py-1.5 text-sm hover:bg-white/10 disabled:opacity-50 aria-expanded:bg-white/15 dark:hover:bg-zinc-900/10 dark:aria-expanded:bg-zinc-900/15";
const TOOL = `${TOOL_BASE} text-white dark:text-zinc-900`;

/**
 * Actions on the selected bookmarks, floating at the bottom while anything is selected. Delete
 * asks first, then offers Undo for a while.
 */
export function BulkToolbar({ selected, onClear }: { selected: BookmarkView[]; onClear: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLibrary();
  const toast = useToast();
  const library = useLibrary();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const bulk = useMutation(trpc.bookmarks.bulk.mutationOptions({ onSuccess: () => invalidate() }));
  const ids = selected.map((b) => b.id);
  const n = ids.length;

  // mutateAsync, not per-call callbacks: the toolbar may be gone (nothing selected any more, or
  // the bookmarks left the view) by the time the answer comes, and the toast must still say so.
  const run = (action: Action, done: (changed: number) => string) => {
    bulk.mutateAsync({ ids, action }).then(
      ({ changed }) => toast({ text: done(changed) }),
      (err: { message: string }) => toast({ text: errorText(err) ?? "That did not work. Please try again.", tone: "error" }),
    );
  };

  const remove = () => {
    const deleted = ids;
    bulk.mutateAsync({ ids: deleted, action: { kind: "delete" } }).then(
      ({ changed }) => {
        setConfirmDelete(false);
        onClear();
        toast({
          text: `Deleted ${formatCountOf(changed, "bookmark")}`,
          action: {
            label: "Undo",
            run: () =>
              bulk.mutateAsync({ ids: deleted, action: { kind: "restore" } }).then(
                (r) => toast({ text: `Restored ${formatCountOf(r.changed, "bookmark")}` }),
                (err: { message: string }) => toast({ text: errorText(err) ?? "Could not undo the delete.", tone: "error" }),
              ),
          },
        });
      },
      () => undefined, // shown in the dialog
    );
  };

  // Tags on the selected bookmarks, most common first: what "Remove tag" can take off.
  const onSelected = new Map<number, { id: number; name: string; count: number }>();
  for (const b of selected) {
    for (const t of b.tags) {
      const e = onSelected.get(t.id) ?? { ...t, count: 0 };
      e.count++;
      onSelected.set(t.id, e);
    }
  }
  const removable = [...onSelected.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const allFavorite = selected.every((b) => b.favorite);

  return (
    <>
      <div
        role="toolbar"
        aria-label="Selected bookmarks"
        data-testid="bulk-toolbar"
        className="fixed inset-x-0 bottom-4 z-20 mx-auto flex w-fit max-w-[calc(100%-2rem)] flex-wrap items-center gap-1 rounded-2xl bg-zinc-900 px-2 py-1.5 text-white shadow-xl dark:bg-zinc-100 dark:text-zinc-900"
      >
        <span className="px-2 text-sm font-semibold tabular-nums" data-testid="selected-count" aria-live="polite">
          {n} selected
        </span>
        <span aria-hidden className="h-5 w-px bg-white/20 dark:bg-zinc-900/20" />
        <Popover
          label="Add tag"
          panelLabel="Add a tag to the selected bookmarks"
          buttonClassName={TOOL}
          buttonTestId="bulk-add-tag"
          panelClassName="bottom-full mb-2 w-64"
        >
          {(close) => (
            <div className="flex flex-col gap-1">
              <p className="px-1 text-xs text-zinc-500">Add a tag to {formatCountOf(n, "bookmark")}</p>
              <div className="rounded-full border border-zinc-300 dark:border-zinc-700">
                <TagInput
                  tags={library.tags}
                  testId="bulk-tag-input"
                  placeholder="Tag name…"
                  onAdd={(name) => {
                    close();
                    run({ kind: "addTags", names: [name] }, (c) => `Added #${stripTagMark(name)} to ${formatCountOf(c, "bookmark")}`);
                  }}
                />
              </div>
            </div>
          )}
        </Popover>
        <Popover
          label="Remove tag"
          panelLabel="Remove a tag from the selected bookmarks"
          buttonClassName={TOOL}
          buttonTestId="bulk-remove-tag"
          panelClassName="bottom-full mb-2 w-60"
          disabled={removable.length === 0}
        >
          {(close) => (
            <MenuList label="Tags on the selection">
              {removable.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="menuitem"
                  className={MENU_ITEM}
                  onClick={() => {
                    close();
                    run({ kind: "removeTags", tagIds: [t.id] }, (c) => `Removed #${t.name} from ${formatCountOf(c, "bookmark")}`);
                  }}
                >
                  <span className="min-w-0 flex-1 truncate">#{t.name}</span>
                  <span className="text-xs text-zinc-500 tabular-nums">{t.count}</span>
                </button>
              ))}
            </MenuList>
          )}
        </Popover>
        <Popover
          label="Set category"
          panelLabel="Set the category of the selected bookmarks"
          buttonClassName={TOOL}
          buttonTestId="bulk-set-category"
          panelClassName="bottom-full mb-2 w-60"
        >
          {(close) => (
            <CategoryMenu
              current={undefined}
              close={close}
              onPick={(categoryId) => {
                const name = categoryId === null ? null : library.categories.find((c) => c.id === categoryId)?.name;
                run({ kind: "setCategory", categoryId }, (c) =>
                  name ? `Moved ${formatCountOf(c, "bookmark")} to ${name}` : `Cleared the category of ${formatCountOf(c, "bookmark")}`,
                );
              }}
            />
          )}
        </Popover>
        <button
          type="button"
          className={TOOL}
          data-testid="bulk-favorite"
          disabled={bulk.isPending}
          onClick={() =>
            run({ kind: "setFavorite", favorite: !allFavorite }, (c) =>
              allFavorite ? `Unfavourited ${formatCountOf(c, "bookmark")}` : `Favourited ${formatCountOf(c, "bookmark")}`,
            )
          }
        >
          <span aria-hidden className="text-amber-400 dark:text-amber-500">
            {allFavorite ? "☆" : "★"}
          </span>
          {allFavorite ? "Unfavourite" : "Favourite"}
        </button>
        <button
          type="button"
          className={`${TOOL_BASE} font-medium text-red-300 dark:text-red-700`}
          data-testid="bulk-delete"
          disabled={bulk.isPending}
          onClick={() => {
            bulk.reset();
            setConfirmDelete(true);
          }}
        >
          Delete
        </button>
        <XWriteActions selected={selected} className={TOOL} />
        <span aria-hidden className="h-5 w-px bg-white/20 dark:bg-zinc-900/20" />
        <button type="button" className={TOOL} onClick={onClear} title="Clear the selection (Esc)" aria-label="Clear the selection">
          ✕
        </button>
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${formatCountOf(n, "bookmark")}?`}
          confirmLabel="Delete"
          onConfirm={remove}
          onClose={() => setConfirmDelete(false)}
          pending={bulk.isPending}
          error={bulk.isError ? errorText(bulk.error) : null}
          testId="confirm-delete"
        >
          <p>
            {n === 1 ? "It goes" : "They go"} from X Bookmarker only, with {n === 1 ? "its" : "their"} notes and tags. X is not touched, and
            a later sync will not bring {n === 1 ? "it" : "them"} back.
          </p>
          <p className="mt-2 text-zinc-500">You can undo right after.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
