"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type KeyboardEvent } from "react";
import { stripTagMark } from "~/lib/names";
import { foldForMatch, isComposing, type TagItem } from "./library-client";

const MAX_SUGGESTIONS = 8;

type Option = { kind: "tag"; tag: TagItem } | { kind: "create"; name: string };

/** Tags whose NFKC-lower-cased name contains what was typed; names starting with it first. */
export function suggestTags(all: readonly TagItem[], typed: string, exclude: ReadonlySet<number>): Option[] {
  const q = foldForMatch(typed);
  const pool = all.filter((t) => !exclude.has(t.id));
  if (!q)
    return [...pool]
      .sort((a, b) => b.count - a.count)
      .slice(0, MAX_SUGGESTIONS)
      .map((tag) => ({ kind: "tag", tag }));
  const scored = pool
    .map((tag) => ({ tag, at: foldForMatch(tag.name).indexOf(q) }))
    .filter((s) => s.at >= 0)
    .sort((a, b) => Number(a.at !== 0) - Number(b.at !== 0) || b.tag.count - a.tag.count || a.tag.name.localeCompare(b.tag.name));
  const options: Option[] = scored.slice(0, MAX_SUGGESTIONS).map((s) => ({ kind: "tag", tag: s.tag }));
  // Offer a new tag unless one by that name exists (on this bookmark or not).
  if (!all.some((t) => foldForMatch(t.name) === q)) options.push({ kind: "create", name: stripTagMark(typed) });
  return options;
}

/**
 * A text field that adds a tag: suggestions from the library's tags as you type (↑/↓ to move,
 * Enter to add, Esc to close), and Enter on a new name creates the tag.
 */
export function TagInput({
  tags,
  exclude = new Set(),
  onAdd,
  label = "Add a tag",
  placeholder = "Add tag…",
  testId = "tag-input",
  className = "",
  disabled,
}: {
  tags: readonly TagItem[];
  exclude?: ReadonlySet<number>;
  /** A promise that rejects puts the text back in the field, to fix and try again. */
  onAdd: (name: string) => void | Promise<unknown>;
  label?: string;
  placeholder?: string;
  testId?: string;
  className?: string;
  disabled?: boolean;
}) {
  const tt = useTranslations("tags");
  const id = useId();
  const [value, setValue] = useState("");
  const [open, setOpen] = useState(false);
  // -1: nothing highlighted, and Enter adds exactly what was typed.
  const [active, setActive] = useState(-1);
  const options = open ? suggestTags(tags, value, exclude) : [];
  const shown = open && options.length > 0;
  const activeIndex = active < options.length ? active : -1;

  const add = (name: string) => {
    const trimmed = name.trim();
    if (!trimmed) return;
    setValue("");
    setActive(-1);
    const done = onAdd(trimmed);
    if (done) done.catch(() => setValue((v) => (v === "" ? trimmed : v)));
  };
  const choose = (o: Option) => add(o.kind === "tag" ? o.tag.name : o.name);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (isComposing(e)) return; // the IME's Enter confirms the kana → kanji conversion
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(true);
      const n = options.length;
      if (n === 0) return;
      const down = e.key === "ArrowDown";
      setActive(activeIndex < 0 ? (down ? 0 : n - 1) : (activeIndex + (down ? 1 : n - 1)) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      const o = shown && activeIndex >= 0 ? options[activeIndex] : undefined;
      if (o) choose(o);
      else add(value);
    } else if (e.key === "Escape") {
      if (open || value) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        setValue("");
        setActive(-1);
      }
    }
  };

  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    <div className={`relative ${className}`}>
      <input
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={shown}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={shown && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        data-testid={testId}
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        maxLength={200}
        autoComplete="off"
        enterKeyHint="done"
        onChange={(e) => {
          setValue(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="w-full min-w-0 rounded-full border border-transparent bg-transparent px-2 py-0.5 text-xs text-zinc-800 placeholder:text-zinc-400 hover:border-zinc-300 focus:border-sky-500 focus:bg-white focus:outline-none dark:text-zinc-200 dark:hover:border-zinc-700 dark:focus:bg-zinc-900"
      />
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={tt("suggestions")}
        hidden={!shown}
        className="absolute left-0 z-30 mt-1 max-h-64 w-60 overflow-y-auto rounded-xl border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      >
        {options.map((o, i) => (
          <li
            key={o.kind === "tag" ? o.tag.id : "create"}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            data-testid="tag-suggestion"
            // Keep the focus in the field: a click chooses without blurring it first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
            onMouseMove={() => i !== activeIndex && setActive(i)}
            className={`flex cursor-pointer items-center gap-2 rounded-lg px-2.5 py-1.5 ${
              i === activeIndex ? "bg-sky-50 text-sky-900 dark:bg-sky-950 dark:text-sky-100" : ""
            }`}
          >
            {o.kind === "tag" ? (
              <>
                <span className="min-w-0 flex-1 truncate">#{o.tag.name}</span>
                <span className="text-xs text-zinc-500 tabular-nums">{o.tag.count}</span>
              </>
            ) : (
              <span className="min-w-0 flex-1 truncate">
                Create <strong className="font-semibold">#{o.name}</strong>
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
