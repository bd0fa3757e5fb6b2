"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { tagKey } from "~/lib/names";
import { useTRPC } from "~/trpc/react";
import { formatCountOf } from "./format";
import { errorCode, errorText, foldForMatch, isComposing, useInvalidateLibrary, type TagItem } from "./library-client";
import { ConfirmDelete, RowActions } from "./manage-row";
import { Modal } from "./modal";
import { FIELD } from "./popover";
import { useInlineRename } from "./use-inline-rename";

function TagRow({
  tag,
  checked,
  onCheck,
  all,
  onGone,
}: {
  tag: TagItem;
  checked: boolean;
  onCheck: (checked: boolean) => void;
  all: readonly TagItem[];
  onGone: (ids: number[], replacement?: number) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLibrary();
  const [confirming, setConfirming] = useState(false);
  const rename = useMutation(trpc.tags.rename.mutationOptions({ onSuccess: () => invalidate() }));
  const merge = useMutation(trpc.tags.merge.mutationOptions({ onSuccess: () => invalidate() }));
  const remove = useMutation(trpc.tags.delete.mutationOptions({ onSuccess: () => invalidate() }));

  // A rename onto a name another tag has: offer to merge into that tag instead.
  const clash =
    rename.isError && errorCode(rename.error) === "CONFLICT"
      ? all.find((t) => t.id !== tag.id && tagKey(t.name) === tagKey(rename.variables?.name ?? ""))
      : undefined;
  const error = errorText(rename.error) ?? errorText(merge.error) ?? errorText(remove.error);
  const { name, setName, save, cancel, onKeyDown } = useInlineRename(
    tag.name,
    (name, done) => rename.mutate({ id: tag.id, name }, { onSuccess: done }),
    () => rename.reset(),
  );

  return (
    <li className="border-b border-zinc-100 py-1.5 last:border-0 dark:border-zinc-800" data-testid="manage-tag-row" data-tag-id={tag.id}>
      <div className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onCheck(e.target.checked)}
          aria-label={`Select #${tag.name} to merge`}
          className="accent-sky-600"
        />
        {name === null ? (
          <button
            type="button"
            onClick={() => setName(tag.name)}
            title="Rename"
            className="min-w-0 flex-1 truncate rounded px-1 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            #{tag.name}
          </button>
        ) : (
          <input
            autoFocus
            value={name}
            aria-label={`New name for #${tag.name}`}
            data-testid="rename-tag-input"
            onChange={(e) => setName(e.target.value)}
            onKeyDown={onKeyDown}
            className={`${FIELD} min-w-0 flex-1`}
          />
        )}
        <span className="w-10 text-right text-xs text-zinc-500 tabular-nums" title={formatCountOf(tag.count, "bookmark")}>
          {tag.count}
        </span>
        <RowActions
          editing={name !== null}
          label={`#${tag.name}`}
          saving={rename.isPending}
          onRename={() => setName(tag.name)}
          onDelete={() => setConfirming(true)}
          onSave={save}
          onCancel={cancel}
        />
      </div>
      {confirming && (
        <ConfirmDelete
          label={`#${tag.name}`}
          confirmText="Delete tag"
          testId="confirm-delete-tag"
          pending={remove.isPending}
          onCancel={() => setConfirming(false)}
          // mutateAsync: this row is gone from the refreshed list before per-call callbacks would run.
          onConfirm={() =>
            void remove.mutateAsync({ id: tag.id }).then(
              () => onGone([tag.id]),
              () => undefined,
            )
          }
        >
          Delete #{tag.name}? It comes off {formatCountOf(tag.count, "bookmark")}; the bookmarks stay.
        </ConfirmDelete>
      )}
      {error && (
        <p role="alert" className="mt-1 flex flex-wrap items-center gap-2 text-xs text-red-700 dark:text-red-300">
          {error}
          {clash && (
            <button
              type="button"
              disabled={merge.isPending}
              className="rounded-full bg-sky-600 px-2.5 py-0.5 font-semibold text-white hover:bg-sky-500"
              onClick={() =>
                merge.mutateAsync({ sourceIds: [tag.id], targetId: clash.id }).then(
                  () => onGone([tag.id], clash.id),
                  () => undefined,
                )
              }
            >
              Merge into #{clash.name}
            </button>
          )}
        </p>
      )}
    </li>
  );
}

/** Every tag with its count: rename, merge several into one, delete, or make a new one. */
export function TagManager({ onClose, onTagsGone }: { onClose: () => void; onTagsGone: (ids: number[], replacement?: number) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLibrary();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const [find, setFind] = useState("");
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [target, setTarget] = useState<number | null>(null);
  const [newName, setNewName] = useState("");
  const create = useMutation(trpc.tags.create.mutationOptions({ onSuccess: () => invalidate() }));
  const merge = useMutation(trpc.tags.merge.mutationOptions({ onSuccess: () => invalidate() }));

  const all = tags.data ?? [];
  const folded = foldForMatch(find);
  const visible = folded ? all.filter((t) => foldForMatch(t.name).includes(folded)) : all;
  const chosen = all.filter((t) => checked.has(t.id));
  // Into the most used of the chosen tags unless another is picked.
  const into = chosen.find((t) => t.id === target) ?? [...chosen].sort((a, b) => b.count - a.count)[0];

  const doMerge = () => {
    if (!into || chosen.length < 2) return;
    const sources = chosen.filter((t) => t.id !== into.id).map((t) => t.id);
    merge.mutateAsync({ sourceIds: sources, targetId: into.id }).then(
      () => {
        setChecked(new Set());
        setTarget(null);
        onTagsGone(sources, into.id);
      },
      () => undefined, // shown in the merge bar
    );
  };

  return (
    <Modal title="Manage tags" onClose={onClose} testId="tag-manager">
      <div className="flex flex-col gap-3 text-sm">
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!newName.trim()) return;
            const submitted = newName;
            setNewName("");
            create.mutateAsync({ name: submitted }).catch(() => setNewName((n) => (n === "" ? submitted : n)));
          }}
        >
          <input
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            onKeyDown={(e) => isComposing(e) && e.key === "Enter" && e.preventDefault()}
            placeholder="New tag name"
            aria-label="New tag name"
            className={`${FIELD} min-w-0 flex-1`}
          />
          <button
            type="submit"
            disabled={create.isPending || !newName.trim()}
            className="rounded-full bg-sky-600 px-3 py-1 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
          >
            Create
          </button>
        </form>
        {create.error && (
          <p role="alert" className="-mt-2 text-xs text-red-700 dark:text-red-300">
            {errorText(create.error)}
          </p>
        )}
        {all.length > 8 && (
          <input
            type="search"
            value={find}
            onChange={(e) => setFind(e.target.value)}
            placeholder="Find a tag…"
            aria-label="Find a tag"
            className={FIELD}
          />
        )}
        {chosen.length >= 2 && into && (
          <div className="flex flex-wrap items-center gap-2 rounded-lg bg-sky-50 px-3 py-2 dark:bg-sky-950" data-testid="merge-bar">
            <span>Merge {chosen.length} tags into</span>
            <select value={into.id} onChange={(e) => setTarget(Number(e.target.value))} aria-label="Merge into" className={FIELD}>
              {chosen.map((t) => (
                <option key={t.id} value={t.id}>
                  #{t.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={doMerge}
              disabled={merge.isPending}
              className="ml-auto rounded-full bg-sky-600 px-3 py-1 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
            >
              {merge.isPending ? "Merging…" : "Merge"}
            </button>
            {merge.error && (
              <p role="alert" className="w-full text-xs text-red-700 dark:text-red-300">
                {errorText(merge.error)}
              </p>
            )}
          </div>
        )}
        {tags.isPending ? (
          <p className="text-zinc-500">Loading…</p>
        ) : all.length === 0 ? (
          <p className="text-zinc-500">No tags yet. Add one to any bookmark, or create one above.</p>
        ) : (
          <>
            <p className="text-xs text-zinc-500">Click a name to rename it. Tick two or more to merge them.</p>
            <ul>
              {visible.map((t) => (
                <TagRow
                  key={t.id}
                  tag={t}
                  all={all}
                  checked={checked.has(t.id)}
                  onGone={onTagsGone}
                  onCheck={(on) =>
                    setChecked((s) => {
                      const next = new Set(s);
                      if (on) next.add(t.id);
                      else next.delete(t.id);
                      return next;
                    })
                  }
                />
              ))}
            </ul>
          </>
        )}
      </div>
    </Modal>
  );
}
