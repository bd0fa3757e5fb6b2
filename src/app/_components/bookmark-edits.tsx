"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { tagKey } from "~/lib/names";
import type { AppRouter } from "~/server/api/root";
import type { ConflictField } from "~/server/bookmarks/conflict";
import { enqueueEdit, loadQueue, queuedEdits, removeEdit, setQueueOwner, useQueuedEdits, type QueuedEdit } from "~/trpc/offline-queue";
import { useConnectionStatus, useTRPC } from "~/trpc/react";
import { isNetworkError, replayOutcome } from "~/trpc/replay-outcome";
import { errorText, useInvalidateLibrary, type CategoryItem } from "./library-client";
import { useLibrary } from "./library-context";
import { Modal } from "./modal";
import { useToast } from "./toast";

/**
 * A card's quick edits, optimistic: the cached list pages change at once, the edit goes out with
 * the version and values it was based on, and a refusal undoes it (with a toast) — except a true
 * clash (CONFLICT), which shows both versions and lets the person choose.
 */

type ListPage = inferRouterOutputs<AppRouter>["bookmarks"]["list"];
export type Bookmark = ListPage["items"][number];

export interface EditChanges {
  note?: string;
  favorite?: boolean;
  categoryId?: number | null;
  addTags?: string[];
  removeTagIds?: number[];
}

/** What the person saw when they started the edit: its base. */
export type EditBase = Pick<Bookmark, "id" | "version" | "note" | "favorite" | "category">;

interface Conflict {
  changes: EditChanges;
  /** The bookmark as this tab had it, with the edit applied. */
  mine: Bookmark;
  current: Bookmark;
  fields: ConflictField[];
}

const ConflictContext = createContext<(c: Conflict) => void>(() => undefined);
/** Starts sending the offline queue (if online and not already at it). */
const ReplayContext = createContext<() => void>(() => undefined);

// ---- The cached list pages -------------------------------------------------------------------

function patchItems(items: Bookmark[], id: string, fn: (b: Bookmark) => Bookmark): Bookmark[] | null {
  let changed = false;
  const next = items.map((b) => {
    if (b.id !== id) return b;
    const n = fn(b);
    if (n !== b) changed = true;
    return n;
  });
  return changed ? next : null;
}

/** Applies fn to the bookmark in a list query's data (infinite: its pages; plain: its items). */
function patchData(data: unknown, id: string, fn: (b: Bookmark) => Bookmark): unknown {
  if (!data || typeof data !== "object") return data;
  if ("pages" in data && Array.isArray(data.pages)) {
    let changed = false;
    const pages = (data.pages as ListPage[]).map((p) => {
      const items = patchItems(p.items, id, fn);
      if (!items) return p;
      changed = true;
      return { ...p, items };
    });
    return changed ? { ...data, pages } : data;
  }
  if ("items" in data && Array.isArray(data.items)) {
    const items = patchItems(data.items as Bookmark[], id, fn);
    return items ? { ...data, items } : data;
  }
  return data;
}

function findIn(data: unknown, id: string): Bookmark | undefined {
  if (!data || typeof data !== "object") return undefined;
  const pages = "pages" in data && Array.isArray(data.pages) ? (data.pages as ListPage[]) : "items" in data ? [data as ListPage] : [];
  for (const p of pages) {
    const b = p.items?.find((i) => i.id === id);
    if (b) return b;
  }
  return undefined;
}

export function useListCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMemo(() => {
    const queryKey = trpc.bookmarks.list.pathKey();
    return {
      patch: (id: string, fn: (b: Bookmark) => Bookmark) => queryClient.setQueriesData<unknown>({ queryKey }, (d: unknown) => patchData(d, id, fn)),
      find: (id: string) => {
        for (const [, d] of queryClient.getQueriesData<unknown>({ queryKey })) {
          const b = findIn(d, id);
          if (b) return b;
        }
        return undefined;
      },
      cancel: () => queryClient.cancelQueries({ queryKey }),
    };
  }, [queryClient, trpc]);
}

let tempTagId = -1;

/** The bookmark with an edit applied, as the server will make it (new tags get a temporary id < 0). */
export function applyChanges(b: Bookmark, c: EditChanges, categories: readonly CategoryItem[]): Bookmark {
  let next = b;
  if (c.favorite !== undefined) next = { ...next, favorite: c.favorite };
  if (c.note !== undefined) next = { ...next, note: c.note.trim() };
  if (c.categoryId !== undefined) {
    const cat = c.categoryId === null ? null : categories.find((x) => x.id === c.categoryId);
    next = { ...next, category: cat ? { id: cat.id, name: cat.name, color: cat.color } : cat === null ? null : next.category };
  }
  if (c.removeTagIds?.length) {
    const gone = new Set(c.removeTagIds);
    next = { ...next, tags: next.tags.filter((t) => !gone.has(t.id)) };
  }
  if (c.addTags?.length) {
    const tags = [...next.tags];
    for (const raw of c.addTags) {
      const name = raw.trim().replace(/^[#＃]+/u, "");
      if (!tags.some((t) => tagKey(t.name) === tagKey(name))) tags.push({ id: tempTagId--, name });
    }
    next = { ...next, tags };
  }
  return next;
}

/** Puts back the edited fields as they were before the edit; other fields keep what came since. */
function undoChanges(b: Bookmark, before: Bookmark, c: EditChanges): Bookmark {
  return {
    ...b,
    favorite: c.favorite !== undefined ? before.favorite : b.favorite,
    note: c.note !== undefined ? before.note : b.note,
    category: c.categoryId !== undefined ? before.category : b.category,
    tags: c.addTags?.length || c.removeTagIds?.length ? before.tags : b.tags,
  };
}

function baseOf(seen: EditBase, c: EditChanges) {
  const base: { note?: string; favorite?: boolean; categoryId?: number | null } = {};
  if (c.note !== undefined) base.note = seen.note;
  if (c.favorite !== undefined) base.favorite = seen.favorite;
  if (c.categoryId !== undefined) base.categoryId = seen.category?.id ?? null;
  return base;
}

interface ConflictData {
  current: Bookmark;
  fields: ConflictField[];
}
/** The CONFLICT answer's payload, when the error is one. */
export function conflictOf(error: unknown): ConflictData | null {
  const data = (error as { data?: { code?: string; conflict?: ConflictData | null } | null } | null)?.data;
  return data?.code === "CONFLICT" && data.conflict ? data.conflict : null;
}

function sentence(text: string): string {
  return text.trim().replace(/[.。]+$/u, "");
}

/**
 * `send(seen, changes)`: the edit, based on `seen` (the bookmark's version and values when the
 * person started it). Resolves once saved; on CONFLICT resolves too (the dialog takes over);
 * rejects with the reason on any other refusal, after undoing the change.
 */
export function useBookmarkEditor() {
  const trpc = useTRPC();
  const cache = useListCache();
  const toast = useToast();
  const invalidate = useInvalidateLibrary();
  const { categories } = useLibrary();
  const openConflict = useContext(ConflictContext);

  const mutation = useMutation(
    trpc.bookmarks.update.mutationOptions({
      onMutate: async (vars) => {
        // A refetch landing now would paint over the optimistic look.
        await cache.cancel();
        const before = cache.find(vars.id);
        if (before) cache.patch(vars.id, (b) => applyChanges(b, vars, categories));
        return { before };
      },
      onError: (error, vars, ctx) => {
        // Kept as it is, and queued (by send): it goes out once the network is back.
        if (isNetworkError(error)) return;
        const conflict = conflictOf(error);
        if (conflict && ctx?.before) {
          const mine = applyChanges(ctx.before, vars, categories);
          // Theirs is what is saved: show it until the person chooses.
          cache.patch(vars.id, () => conflict.current);
          openConflict({ changes: changesOf(vars), mine, current: conflict.current, fields: conflict.fields });
          return;
        }
        const before = ctx?.before;
        if (before) cache.patch(vars.id, (b) => undoChanges(b, before, vars));
        toast({ tone: "error", text: `Couldn't save: ${sentence(errorText(error) ?? "the server refused the change")}. Your change was undone.` });
      },
      onSuccess: async (out, vars) => {
        cache.patch(out.id, (b) => (b.version >= out.version ? b : { ...b, version: out.version }));
        // Counts, filtered views and tag ids may have changed. New tags need their real ids and a
        // merged edit brings the other side's fields: wait for those before the edit settles.
        const fresh = invalidate();
        if (vars.addTags?.length || vars.removeTagIds?.length || out.result === "auto_merged") await fresh;
      },
    }),
  );
  const { mutateAsync } = mutation;
  const replay = useContext(ReplayContext);

  const queue = useCallback(
    async (input: QueuedEdit["input"]) => {
      try {
        await enqueueEdit(input);
      } catch {
        // Nowhere to keep it (no IndexedDB): undo, as for a refusal.
        void invalidate();
        toast({ tone: "error", text: "Couldn't save: you are offline and this browser cannot keep edits. Your change was undone." });
        throw new Error("You are offline.");
      }
      replay();
    },
    [invalidate, toast, replay],
  );

  const send = useCallback(
    async (seen: EditBase, changes: EditChanges) => {
      const input = { id: seen.id, ...changes, baseVersion: seen.version, base: baseOf(seen, changes) };
      // Offline, or edits are already waiting (they go first): to the back of the queue.
      if (!navigator.onLine || queuedEdits().length > 0) {
        await cache.cancel();
        cache.patch(seen.id, (b) => applyChanges(b, changes, categories));
        return queue(input);
      }
      return mutateAsync(input).then(
        () => undefined,
        (error: unknown) => {
          if (conflictOf(error)) return undefined;
          if (isNetworkError(error)) return queue(input);
          throw new Error(errorText(error as { message: string }) ?? "Could not save. Please try again.");
        },
      );
    },
    [mutateAsync, cache, categories, queue],
  );
  return send;
}

function changesOf(vars: EditChanges): EditChanges {
  const { note, favorite, categoryId, addTags, removeTagIds } = vars;
  const c: EditChanges = {};
  if (note !== undefined) c.note = note;
  if (favorite !== undefined) c.favorite = favorite;
  if (categoryId !== undefined) c.categoryId = categoryId;
  if (addTags?.length) c.addTags = addTags;
  if (removeTagIds?.length) c.removeTagIds = removeTagIds;
  return c;
}

// ---- The conflict dialog -----------------------------------------------------------------------

/** Hosts the conflict dialog and the offline queue's replay for the cards inside it. */
export function BookmarkEditsProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const open = useCallback((c: Conflict) => setConflicts((cs) => [...cs.filter((x) => x.current.id !== c.current.id), c]), []);
  const close = useCallback(() => setConflicts((cs) => cs.slice(1)), []);
  const shown = conflicts[0];
  return (
    <ConflictContext.Provider value={open}>
      <OfflineReplay userId={userId} openConflict={open}>
        {children}
        {shown && <ConflictDialog key={`${shown.current.id}-${shown.current.version}`} conflict={shown} onClose={close} />}
      </OfflineReplay>
    </ConflictContext.Provider>
  );
}

/** How often a queue that could not be sent (network still failing while "online") is retried. */
const RETRY_MS = 15_000;

/**
 * Sends the offline queue, oldest first, one at a time: on page load, when the browser comes back
 * online, when the live connection is up again, and now and then while anything waits. Each edit
 * keeps the base it was made on, so the server merges or answers CONFLICT as for any edit. A
 * failure that is not a definitive refusal stops the round (the rest stays queued, in order); a
 * definitive 4xx drops the edit and says so (replay-outcome.ts).
 */
function OfflineReplay({ userId, openConflict, children }: { userId: string; openConflict: (c: Conflict) => void; children: ReactNode }) {
  const trpc = useTRPC();
  const cache = useListCache();
  const toast = useToast();
  const invalidate = useInvalidateLibrary();
  const { categories } = useLibrary();
  // Same mutation key as the cards' edits: a card shows its edit as in flight while it goes out.
  const { mutateAsync } = useMutation(trpc.bookmarks.update.mutationOptions());
  const running = useRef(false);
  const again = useRef(false);

  /** Sends one queued edit; false: the network failed, try again later. */
  const sendOne = useCallback(
    async ({ seq, userId: madeAs, input }: QueuedEdit): Promise<boolean> => {
      try {
        const out = await mutateAsync({ ...input, asUser: madeAs });
        await removeEdit(seq);
        cache.patch(out.id, (b) => (b.version >= out.version ? b : { ...b, version: out.version }));
        void invalidate();
        return true;
      } catch (error) {
        // Not sent, or not refused for good (logged out, too many requests, the server failing,
        // another account logged in now): keep it for a later round. A definitive 4xx drops it.
        if (replayOutcome(error) === "keep") return false;
        await removeEdit(seq);
        const conflict = conflictOf(error);
        if (conflict) {
          cache.patch(input.id, () => conflict.current);
          const changes = changesOf(input);
          openConflict({ changes, mine: applyChanges(conflict.current, changes, categories), current: conflict.current, fields: conflict.fields });
        } else {
          // What the server has is the truth: show it again.
          void invalidate();
          toast({ tone: "error", text: `Couldn't save: ${sentence(errorText(error as { message: string }) ?? "the server refused the change")}. Your change was undone.` });
        }
        return true;
      }
    },
    [mutateAsync, cache, invalidate, openConflict, categories, toast],
  );

  const replay = useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    if (!navigator.onLine) return;
    running.current = true;
    const round = async () => {
      do {
        again.current = false;
        // Fresh from IndexedDB: another tab may have sent some meanwhile.
        await loadQueue();
        for (const entry of queuedEdits()) {
          if (!navigator.onLine || !(await sendOne(entry))) return;
        }
      } while (again.current);
    };
    // One tab at a time sends the device's queue.
    const done = typeof navigator.locks?.request === "function" ? navigator.locks.request("xb-offline-queue", round) : round();
    void done.catch(() => undefined).finally(() => (running.current = false));
  }, [sendOne]);

  const status = useConnectionStatus();
  const waiting = useQueuedEdits().length > 0;
  useEffect(() => {
    // Shows what waits for this account even while offline (after a reload); sends it if online.
    setQueueOwner(userId);
    void loadQueue().then(replay);
    window.addEventListener("online", replay);
    return () => window.removeEventListener("online", replay);
  }, [userId, replay]);
  useEffect(() => {
    if (status === "connected") replay();
  }, [status, replay]);
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(replay, RETRY_MS);
    return () => clearInterval(t);
  }, [waiting, replay]);

  return <ReplayContext.Provider value={replay}>{children}</ReplayContext.Provider>;
}

const FIELD_LABEL: Record<ConflictField, string> = { note: "Note", favorite: "Favourite", categoryId: "Category" };

function valueText(b: Bookmark, field: ConflictField): string {
  if (field === "note") return b.note || "(no note)";
  if (field === "favorite") return b.favorite ? "★ Favourite" : "☆ Not a favourite";
  return b.category?.name ?? "No category";
}

function ConflictDialog({ conflict, onClose }: { conflict: Conflict; onClose: () => void }) {
  const send = useBookmarkEditor();
  const { mine, current, fields, changes } = conflict;
  const hasNote = fields.includes("note") && changes.note !== undefined;
  const [merge, setMerge] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mergeId = useId();

  const resend = (c: EditChanges) => {
    setBusy(true);
    setError(null);
    // Based on what is saved now: the server takes it (unless it changed yet again).
    send(current, c).then(onClose, (e: unknown) => {
      setBusy(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };

  return (
    <Modal title="Changed elsewhere" onClose={onClose} testId="conflict-dialog">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        This bookmark was changed on another device or tab while you were editing it. Choose which version to keep.
      </p>
      {fields.map((field) => (
        <section key={field} className="mt-4" aria-label={FIELD_LABEL[field]}>
          <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{FIELD_LABEL[field]}</h3>
          <div className="mt-1 grid gap-2 sm:grid-cols-2">
            <figure data-testid="conflict-mine" className="rounded-lg border border-sky-300 bg-sky-50 p-2 dark:border-sky-800 dark:bg-sky-950/40">
              <figcaption className="text-xs font-semibold text-sky-800 dark:text-sky-300">Yours</figcaption>
              <p className="post-text mt-1 text-sm whitespace-pre-wrap">{valueText(mine, field)}</p>
            </figure>
            <figure data-testid="conflict-theirs" className="rounded-lg border border-amber-300 bg-amber-50 p-2 dark:border-amber-800 dark:bg-amber-950/30">
              <figcaption className="text-xs font-semibold text-amber-800 dark:text-amber-300">Theirs</figcaption>
              <p className="post-text mt-1 text-sm whitespace-pre-wrap">{valueText(current, field)}</p>
            </figure>
          </div>
        </section>
      ))}
      {merge !== null && (
        <div className="mt-4">
          <label htmlFor={mergeId} className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
            Merged note
          </label>
          <textarea
            id={mergeId}
            data-testid="conflict-merge-input"
            autoFocus
            value={merge}
            onChange={(e) => setMerge(e.target.value)}
            className="field-sizing-content mt-1 block max-h-60 min-h-24 w-full resize-y rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-sky-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
      )}
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">
          Couldn&apos;t save: {error}
        </p>
      )}
      <div className="mt-5 flex flex-wrap items-center justify-end gap-2">
        <span className="mr-auto text-xs text-zinc-500">Esc or ✕ closes and keeps theirs.</span>
        <button
          type="button"
          onClick={onClose}
          disabled={busy}
          data-testid="conflict-take-theirs"
          className="rounded-full px-4 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-800"
        >
          Take theirs
        </button>
        {hasNote && merge === null && (
          <button
            type="button"
            onClick={() => setMerge([current.note, mine.note].filter(Boolean).join("\n\n"))}
            disabled={busy}
            data-testid="conflict-edit-merge"
            className="rounded-full border border-zinc-300 px-4 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Edit a merge
          </button>
        )}
        {merge !== null ? (
          <button
            type="button"
            onClick={() => resend({ ...changes, note: merge })}
            disabled={busy}
            data-testid="conflict-save-merge"
            className="rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
          >
            {busy ? "Saving…" : "Save merge"}
          </button>
        ) : (
          <button
            type="button"
            autoFocus
            onClick={() => resend(changes)}
            disabled={busy}
            data-testid="conflict-keep-mine"
            className="rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
          >
            {busy ? "Saving…" : "Keep mine"}
          </button>
        )}
      </div>
    </Modal>
  );
}
