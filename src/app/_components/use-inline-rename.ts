"use client";

import { useState, type KeyboardEvent } from "react";
import { isComposing } from "./library-client";

/**
 * Renaming a row in place (tags, categories): the draft name (null while not editing), Enter
 * saves, Esc cancels the rename only (not the dialog around it), and an empty or unchanged name
 * is a cancel. `submit` sends the new name and calls `done` once it is saved.
 */
export function useInlineRename(current: string, submit: (name: string, done: () => void) => void, reset: () => void) {
  const [name, setName] = useState<string | null>(null);
  const cancel = () => {
    setName(null);
    reset();
  };
  const save = () => {
    if (name === null) return;
    if (name.trim() === current || name.trim() === "") return cancel();
    submit(name, () => setName(null));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (isComposing(e)) return;
    if (e.key === "Enter") {
      e.preventDefault();
      save();
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      cancel();
    }
  };
  return { name, setName, save, cancel, onKeyDown };
}
