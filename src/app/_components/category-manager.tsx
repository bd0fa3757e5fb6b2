"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { CATEGORY_COLORS } from "~/lib/names";
import { useTRPC } from "~/trpc/react";
import { ColorDot } from "./category-picker";
import { formatCountOf } from "./format";
import { errorText, isComposing, useInvalidateLibrary, type CategoryItem } from "./library-client";
import { ConfirmDelete, RowActions } from "./manage-row";
import { Modal } from "./modal";
import { FIELD, Popover } from "./popover";
import { useInlineRename } from "./use-inline-rename";

const COLOR_NAMES: Record<string, string> = {
  "#3b82f6": "Blue",
  "#ef4444": "Red",
  "#f97316": "Orange",
  "#eab308": "Yellow",
  "#22c55e": "Green",
  "#14b8a6": "Teal",
  "#06b6d4": "Cyan",
  "#8b5cf6": "Violet",
  "#ec4899": "Pink",
  "#64748b": "Slate",
};

/** The palette as a radio group: arrow keys move, like any radio group. */
function ColorChoice({ value, onChange, label }: { value: string; onChange: (color: string) => void; label: string }) {
  const name = useId();
  return (
    <div role="radiogroup" aria-label={label} className="flex flex-wrap gap-1.5">
      {CATEGORY_COLORS.map((c) => (
        <label key={c} title={COLOR_NAMES[c]} className="relative cursor-pointer">
          <input
            type="radio"
            name={name}
            value={c}
            checked={value === c}
            onChange={() => onChange(c)}
            className="peer sr-only"
            aria-label={COLOR_NAMES[c]}
          />
          <span
            aria-hidden
            className="block size-6 rounded-full ring-offset-2 ring-offset-white peer-checked:ring-2 peer-checked:ring-zinc-900 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-4 peer-focus-visible:outline-sky-500 dark:ring-offset-zinc-900 dark:peer-checked:ring-white"
            style={{ backgroundColor: c }}
          />
        </label>
      ))}
    </div>
  );
}

function CategoryRow({ category, onGone }: { category: CategoryItem; onGone: (id: number) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLibrary();
  const [confirming, setConfirming] = useState(false);
  const update = useMutation(trpc.categories.update.mutationOptions({ onSuccess: () => invalidate() }));
  const remove = useMutation(trpc.categories.delete.mutationOptions({ onSuccess: () => invalidate() }));
  const error = errorText(update.error) ?? errorText(remove.error);
  const { name, setName, save, cancel, onKeyDown } = useInlineRename(
    category.name,
    (name, done) => update.mutate({ id: category.id, name }, { onSuccess: done }),
    () => update.reset(),
  );

  return (
    <li className="border-b border-zinc-100 py-1.5 last:border-0 dark:border-zinc-800" data-testid="manage-category-row">
      <div className="flex items-center gap-2">
        <Popover
          label={<ColorDot color={category.color} className="size-4" />}
          title="Change colour"
          panelLabel={`Colour of ${category.name}`}
          buttonClassName="grid size-7 place-items-center rounded-full hover:bg-zinc-100 dark:hover:bg-zinc-800"
          panelClassName="w-56 p-3"
        >
          {(close) => (
            <ColorChoice
              label={`Colour of ${category.name}`}
              value={category.color}
              onChange={(color) => {
                update.mutate({ id: category.id, color });
                close();
              }}
            />
          )}
        </Popover>
        {name === null ? (
          <button
            type="button"
            onClick={() => setName(category.name)}
            title="Rename"
            className="min-w-0 flex-1 truncate rounded px-1 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            {category.name}
          </button>
        ) : (
          <input
            autoFocus
            value={name}
            aria-label={`New name for ${category.name}`}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={onKeyDown}
            className={`${FIELD} min-w-0 flex-1`}
          />
        )}
        <span className="w-10 text-right text-xs text-zinc-500 tabular-nums" title={formatCountOf(category.count, "bookmark")}>
          {category.count}
        </span>
        <RowActions
          editing={name !== null}
          label={category.name}
          saving={update.isPending}
          onRename={() => setName(category.name)}
          onDelete={() => setConfirming(true)}
          onSave={save}
          onCancel={cancel}
        />
      </div>
      {confirming && (
        <ConfirmDelete
          label={category.name}
          confirmText="Delete category"
          pending={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void remove.mutateAsync({ id: category.id }).then(
              () => onGone(category.id),
              () => undefined,
            )
          }
        >
          Delete {category.name}? Its {formatCountOf(category.count, "bookmark")} stay, without a category.
        </ConfirmDelete>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </li>
  );
}

/** Create, rename, recolour and delete categories. */
export function CategoryManager({ onClose, onCategoryGone }: { onClose: () => void; onCategoryGone: (id: number) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateLibrary();
  const categories = useQuery(trpc.categories.list.queryOptions());
  const all = categories.data ?? [];
  const [name, setName] = useState("");
  // A colour not in use yet, if there is one.
  const [color, setColor] = useState<string | null>(null);
  const unused = CATEGORY_COLORS.find((c) => !all.some((k) => k.color === c)) ?? CATEGORY_COLORS[0];
  const chosenColor = color ?? unused;
  const create = useMutation(trpc.categories.create.mutationOptions({ onSuccess: () => invalidate() }));

  return (
    <Modal title="Manage categories" onClose={onClose} testId="category-manager">
      <div className="flex flex-col gap-3 text-sm">
        <form
          className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            // Cleared at once, ready for the next one; put back if the server says no.
            const submitted = name;
            setName("");
            create.mutateAsync({ name: submitted, color: chosenColor }).then(
              () => setColor(null),
              () => setName((n) => (n === "" ? submitted : n)),
            );
          }}
        >
          <div className="flex gap-2">
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => isComposing(e) && e.key === "Enter" && e.preventDefault()}
              placeholder="New category, e.g. 読みたい or Work"
              aria-label="New category name"
              data-testid="new-category-name"
              className={`${FIELD} min-w-0 flex-1`}
            />
            <button
              type="submit"
              disabled={create.isPending || !name.trim()}
              className="rounded-full bg-sky-600 px-3 py-1 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
            >
              Create
            </button>
          </div>
          <ColorChoice label="Colour of the new category" value={chosenColor} onChange={setColor} />
          {create.error && (
            <p role="alert" className="text-xs text-red-700 dark:text-red-300">
              {errorText(create.error)}
            </p>
          )}
        </form>
        {categories.isPending ? (
          <p className="text-zinc-500">Loading…</p>
        ) : all.length === 0 ? (
          <p className="text-zinc-500">No categories yet. A bookmark has at most one category; use tags for everything else.</p>
        ) : (
          <ul>
            {all.map((c) => (
              <CategoryRow key={c.id} category={c} onGone={onCategoryGone} />
            ))}
          </ul>
        )}
      </div>
    </Modal>
  );
}
