"use client";

import { useState } from "react";
import type { BookmarkView } from "~/server/bookmarks/list";
import { formatCountOf } from "./format";
import { errorText } from "./library-client";
import { ConfirmDialog, Modal } from "./modal";
import { useToast } from "./toast";
import { useXWrites } from "./use-x-writes";

type Ask = "remove" | "add" | null;

/**
 * "Remove on X" and "Add back on X" for the selected bookmarks. Nothing is sent to X before the
 * person confirms; without the permission to change X bookmarks, the dialog offers the log-in
 * that grants it instead. The bookmarks stay here either way.
 */
export function XWriteActions({ selected, className }: { selected: BookmarkView[]; className: string }) {
  const { status, remove, add, grantWrite } = useXWrites();
  const toast = useToast();
  const [ask, setAsk] = useState<Ask>(null);
  const onX = selected.filter((b) => !b.removedOnXAt);
  const offX = selected.filter((b) => b.removedOnXAt);
  const targets = ask === "remove" ? onX : offX;
  const n = targets.length;
  const mutation = ask === "add" ? add : remove;

  const confirm = () => {
    mutation.mutateAsync({ bookmarkIds: targets.map((b) => b.id), confirm: true }).then(
      ({ queued }) => {
        setAsk(null);
        toast({
          text: `${ask === "remove" ? "Removing" : "Adding back"} ${formatCountOf(queued, "bookmark")} on X (X allows 50 changes per 15 minutes)`,
        });
      },
      () => undefined, // shown in the dialog
    );
  };

  const open = (a: Exclude<Ask, null>) => {
    remove.reset();
    add.reset();
    setAsk(a);
  };

  return (
    <>
      {onX.length > 0 && (
        <button type="button" className={className} data-testid="bulk-remove-on-x" onClick={() => open("remove")}>
          Remove on X…
        </button>
      )}
      {offX.length > 0 && (
        <button type="button" className={className} data-testid="bulk-add-on-x" onClick={() => open("add")}>
          Add back on X…
        </button>
      )}
      {ask && status.data && !status.data.writeScope && (
        <Modal title="Allow changes to your X bookmarks?" onClose={() => setAsk(null)} size="sm" testId="grant-write">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            You logged in without letting X Bookmarker add and remove bookmarks on X. Log in with X again and allow it; nothing on X changes
            until you confirm a change here.
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button
              type="button"
              onClick={() => setAsk(null)}
              className="rounded-full px-4 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              Cancel
            </button>
            <button
              type="button"
              onClick={grantWrite}
              className="rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500"
            >
              Log in with X again
            </button>
          </div>
        </Modal>
      )}
      {ask && status.data?.writeScope && (
        <ConfirmDialog
          title={ask === "remove" ? `Remove ${formatCountOf(n, "bookmark")} on X?` : `Add ${formatCountOf(n, "bookmark")} back on X?`}
          confirmLabel={ask === "remove" ? "Remove on X" : "Add back on X"}
          onConfirm={confirm}
          onClose={() => setAsk(null)}
          pending={mutation.isPending}
          error={mutation.isError ? errorText(mutation.error) : null}
          testId="confirm-x-write"
        >
          <p>
            {ask === "remove"
              ? `This changes your X account: ${n === 1 ? "the post is" : "the posts are"} no longer bookmarked on X.`
              : `This bookmarks ${n === 1 ? "the post" : "the posts"} on X again.`}{" "}
            {n === 1 ? "It stays" : "They stay"} here in your library, with notes and tags.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
