"use client";

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

/**
 * A button that opens a small panel under it. Closes on Esc (focus goes back to the button), on
 * a click outside, and when `close()` is called from inside. The first field or item in the panel
 * gets focus on open, so it works from the keyboard alone.
 */
export function Popover({
  label,
  title,
  children,
  align = "left",
  buttonClassName = BUTTON,
  panelClassName = "w-72",
  buttonTestId,
  panelTestId,
  panelLabel,
  disabled,
}: {
  label: ReactNode;
  title?: string;
  children: (close: () => void) => ReactNode;
  align?: "left" | "right";
  buttonClassName?: string;
  panelClassName?: string;
  buttonTestId?: string;
  panelTestId?: string;
  /** The panel's accessible name (defaults to the button's text when that is a string). */
  panelLabel?: string;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // By id, not a ref: the panel's content gets this function while rendering.
  const close = useCallback(() => {
    setOpen(false);
    document.getElementById(`${id}-button`)?.focus();
  }, [id]);

  useEffect(() => {
    if (!open) return;
    const first =
      panel.current?.querySelector<HTMLElement>("[data-autofocus]") ??
      panel.current?.querySelector<HTMLElement>(
        "input:not([type=hidden]), textarea, select, [role=menuitem], [role=menuitemradio], button, a[href]",
      );
    first?.focus();
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    return () => document.removeEventListener("pointerdown", onDown);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape" && open && !e.nativeEvent.isComposing) {
      e.stopPropagation();
      e.preventDefault();
      close();
    }
  };

  return (
    <div ref={root} className="relative inline-block" onKeyDown={onKeyDown}>
      <button
        id={`${id}-button`}
        type="button"
        title={title}
        disabled={disabled}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-haspopup="dialog"
        data-testid={buttonTestId}
        onClick={() => setOpen((o) => !o)}
        className={buttonClassName}
      >
        {label}
      </button>
      {open && (
        <div
          ref={panel}
          id={id}
          role="dialog"
          aria-label={panelLabel ?? (typeof label === "string" ? label : undefined)}
          data-testid={panelTestId}
          className={`absolute z-30 mt-1.5 rounded-xl border border-zinc-200 bg-white p-2 text-sm text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 ${
            align === "right" ? "right-0" : "left-0"
          } ${panelClassName}`}
        >
          {children(close)}
        </div>
      )}
    </div>
  );
}

/** Up/Down (and Home/End) move between the menu's items; the items are ordinary buttons or links. */
export function MenuList({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [
      ...e.currentTarget.querySelectorAll<HTMLElement>("[role=menuitem]:not([disabled]), [role=menuitemradio]:not([disabled])"),
    ];
    if (items.length === 0) return;
    const at = items.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (e.key === "ArrowDown") next = at < 0 ? 0 : (at + 1) % items.length;
    else if (e.key === "ArrowUp") next = at < 0 ? items.length - 1 : (at - 1 + items.length) % items.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    if (next === null) return;
    e.preventDefault();
    items[next]?.focus();
  };
  return (
    <div role="menu" aria-label={label} onKeyDown={onKeyDown} className={`flex flex-col ${className}`}>
      {children}
    </div>
  );
}

export const MENU_ITEM =
  "flex w-full items-center gap-2 rounded-lg px-2.5 py-1.5 text-left hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-50 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

export const BUTTON =
  "inline-flex items-center gap-1.5 rounded-full border border-zinc-300 bg-white px-3 py-1 text-sm text-zinc-700 hover:border-zinc-400 hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-50 aria-expanded:border-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:border-zinc-600 dark:hover:bg-zinc-800";

/** A filter button that is on: sky, like the app's accent. */
export const BUTTON_ACTIVE =
  "inline-flex items-center gap-1.5 rounded-full border border-sky-500 bg-sky-50 px-3 py-1 text-sm text-sky-800 hover:bg-sky-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-sky-600 dark:bg-sky-950 dark:text-sky-200 dark:hover:bg-sky-900";

export const FIELD =
  "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 placeholder:text-zinc-400 hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:border-zinc-600";
