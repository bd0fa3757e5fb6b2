"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { isComposing, isTypingTarget } from "./library-client";
import { Popover } from "./popover";
import type { UpdateMode } from "./use-library-filter";

const DEBOUNCE_MS = 200;

// Examples stay as typed (the query language is the same in every language); meanings are translated.
const SYNTAX = [
  { example: "機械学習 rust", meaning: "words" },
  { example: '"exact phrase"', meaning: "phrase" },
  { example: "-word", meaning: "not" },
  { example: "from:handle", meaning: "from" },
  { example: "#tag", meaning: "tag" },
  { example: "category:name", meaning: "category" },
  { example: "has:media", meaning: "has" },
  { example: "is:favorite", meaning: "is" },
  { example: "lang:ja", meaning: "lang" },
  { example: "after:2025-01-01", meaning: "after" },
  { example: "before:2025-02-01", meaning: "before" },
] as const;

const SHORTCUTS = [
  { keys: "/", meaning: "search" },
  { keys: "Esc", meaning: "escape" },
  { keys: "j / k", meaning: "move" },
  { keys: "x", meaning: "select" },
  { keys: "f  t  n", meaning: "edit" },
] as const;

function SearchHelp() {
  const t = useTranslations("search");
  return (
    <Popover
      label={<span aria-hidden>?</span>}
      title={t("help")}
      panelLabel={t("help")}
      align="right"
      buttonTestId="search-help"
      panelClassName="max-h-[70vh] w-[min(26rem,calc(100vw-2rem))] overflow-y-auto p-4"
      buttonClassName="grid size-7 place-items-center rounded-full text-sm font-semibold text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 aria-expanded:bg-zinc-100 dark:hover:bg-zinc-800 dark:hover:text-zinc-200 dark:aria-expanded:bg-zinc-800"
    >
      {() => (
        <div className="space-y-3">
          <div>
            <h3 className="mb-1.5 font-semibold">{t("syntaxTitle")}</h3>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-xs">
              {SYNTAX.map((s) => (
                <div key={s.example} className="contents">
                  <dt>
                    <code className="rounded bg-zinc-100 px-1 py-0.5 whitespace-nowrap text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
                      {s.example}
                    </code>
                  </dt>
                  <dd className="text-zinc-600 dark:text-zinc-400">{t(`syntax.${s.meaning}`)}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">{t("scope")}</p>
          </div>
          <div>
            <h3 className="mb-1.5 font-semibold">{t("keyboardTitle")}</h3>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
              {SHORTCUTS.map((s) => (
                <div key={s.keys} className="contents">
                  <dt>
                    <kbd className="rounded border border-zinc-300 px-1 font-sans dark:border-zinc-600">{s.keys}</kbd>
                  </dt>
                  <dd className="text-zinc-600 dark:text-zinc-400">{t(`keys.${s.meaning}`)}</dd>
                </div>
              ))}
            </dl>
          </div>
        </div>
      )}
    </Popover>
  );
}

/**
 * The search box: what is typed goes to the URL 200 ms after the last key (not while an IME is
 * still composing), `/` anywhere focuses it, Esc clears it.
 */
export function SearchBar({
  q,
  onCommit,
  problems,
  busy,
}: {
  /** The search in the URL. */
  q: string;
  onCommit: (q: string, mode: UpdateMode) => void;
  /** Why the search cannot run as typed (bad syntax); the results stay as they were. */
  problems: string[];
  busy: boolean;
}) {
  const t = useTranslations("search");
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(q);
  const [composing, setComposing] = useState(false);
  // The last value this box sent to the URL; a different URL value came from elsewhere
  // (back/forward, "Clear filters") and replaces what is in the box.
  const [sent, setSent] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  if (q !== seenQ) {
    setSeenQ(q);
    if (q !== sent) {
      setSent(q);
      setText(q);
    }
  }

  const commit = (value: string) => {
    setSent(value);
    // The first letters of a search make a history entry; refining it does not.
    onCommit(value, q === "" && value !== "" ? "push" : "replace");
  };

  useEffect(() => {
    if (composing || text === sent) return;
    const t = setTimeout(() => {
      setSent(text);
      onCommit(text, sent === "" && text !== "" ? "push" : "replace");
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, sent, composing, onCommit]);

  // "/" focuses the search from anywhere that is not a text field.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (isComposing(e)) return;
    if (e.key === "Escape") {
      e.preventDefault();
      if (text === "") input.current?.blur();
      setText("");
      commit("");
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (text !== sent) commit(text);
    }
  };

  const problemId = `${id}-problems`;
  return (
    <div>
      <div className="relative flex items-center rounded-full border border-zinc-300 bg-white shadow-sm focus-within:border-sky-500 focus-within:ring-2 focus-within:ring-sky-500/20 dark:border-zinc-700 dark:bg-zinc-900">
        <span aria-hidden className="pointer-events-none pl-4 text-zinc-400">
          {busy ? (
            <span className="inline-block size-4 animate-spin rounded-full border-2 border-zinc-300 border-t-sky-500 align-middle" />
          ) : (
            "⌕"
          )}
        </span>
        <label htmlFor={id} className="sr-only">
          {t("label")}
        </label>
        <input
          ref={input}
          id={id}
          type="search"
          data-testid="search-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onCompositionStart={() => setComposing(true)}
          onCompositionEnd={() => setComposing(false)}
          placeholder={t("placeholder")}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={problems.length > 0 ? problemId : undefined}
          className="min-w-0 flex-1 bg-transparent px-3 py-2.5 text-[15px] outline-none placeholder:text-zinc-400 focus-visible:outline-none [&::-webkit-search-cancel-button]:hidden"
        />
        {text && (
          <button
            type="button"
            aria-label={t("clear")}
            onClick={() => {
              setText("");
              commit("");
              input.current?.focus();
            }}
            className="grid size-7 place-items-center rounded-full text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
          >
            ✕
          </button>
        )}
        <kbd aria-hidden className="mr-1 hidden rounded border border-zinc-300 px-1.5 text-xs text-zinc-400 sm:inline dark:border-zinc-700">
          /
        </kbd>
        <div className="mr-1.5">
          <SearchHelp />
        </div>
      </div>
      {problems.length > 0 && (
        <p id={problemId} role="alert" data-testid="search-error" className="mt-1.5 px-4 text-sm text-red-700 dark:text-red-300">
          {problems.join(" ")}
        </p>
      )}
    </div>
  );
}
