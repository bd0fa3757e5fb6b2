"use client";

import { useSyncExternalStore } from "react";

/**
 * Card edits made while offline (or that failed for want of a network), kept on this device in
 * IndexedDB until they can be sent, oldest first. Each entry is the `bookmarks.update` input as it
 * would have gone out (with its baseVersion and base), so a replay follows the same rules.
 *
 * A hand-written wrapper rather than a package: four operations on one object store are all this
 * needs, and it keeps a dependency out of the client bundle. A copy in memory serves the UI
 * (useSyncExternalStore); IndexedDB is what survives a reload.
 *
 * Each edit belongs to the account it was made as: a page sees and sends only its own account's
 * (`setQueueOwner`), and the server refuses one sent under another account, so edits left by
 * someone who logged out wait for them. Tabs of one device tell each other when the queue changes
 * (BroadcastChannel), so every tab's pending count is current.
 */

export interface QueuedEdit {
  /** Order of the queue (IndexedDB key, auto-incremented). */
  seq: number;
  /** The account the edit was made as (absent on edits queued before accounts were recorded). */
  userId?: string;
  input: {
    id: string;
    note?: string;
    favorite?: boolean;
    categoryId?: number | null;
    addTags?: string[];
    removeTagIds?: number[];
    baseVersion: number;
    base: { note?: string; favorite?: boolean; categoryId?: number | null };
  };
}

const DB = "xb-offline";
const STORE = "edits";

let dbPromise: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  return (dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB unavailable"));
  }));
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const d = await db();
  return new Promise<T>((resolve, reject) => {
    const tx = d.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

// ---- The in-memory copy the UI reads -----------------------------------------------------------

const EMPTY: QueuedEdit[] = [];
let entries: QueuedEdit[] = EMPTY;
let owner: string | null = null;
let loaded: Promise<void> | null = null;
/** Counts this page's own writes: a read that began before the latest one is out of date. */
let writes = 0;
const listeners = new Set<() => void>();

function set(next: QueuedEdit[]) {
  entries = next;
  for (const l of listeners) l();
}

// The other tabs of this device: "the queue changed, read it again".
const channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("xb-offline-queue");
if (channel) channel.onmessage = () => void loadQueue();
const tellOtherTabs = () => channel?.postMessage("changed");

/** The logged-in account: the page shows and sends only its edits. */
export function setQueueOwner(userId: string): void {
  if (owner === userId) return;
  owner = userId;
  loaded = null;
  set(EMPTY);
}

/** Reads this account's queue from IndexedDB (also picks up what another tab added or sent). */
export function loadQueue(): Promise<void> {
  if (typeof indexedDB === "undefined" || owner === null) return Promise.resolve();
  const mine = owner;
  const at = writes;
  return (loaded = run("readonly", (s) => s.getAll() as IDBRequest<QueuedEdit[]>).then(
    (all) => {
      if (owner !== mine) return;
      // This page wrote meanwhile: read again, so neither its write nor another tab's is missed.
      if (writes !== at) return loadQueue();
      set(all.filter((e) => e.userId === mine || e.userId === undefined).sort((a, b) => a.seq - b.seq));
    },
    () => undefined,
  ));
}

export async function enqueueEdit(input: QueuedEdit["input"]): Promise<void> {
  const userId = owner;
  if (userId === null) throw new Error("No account to keep the edit for.");
  await (loaded ?? loadQueue());
  const seq = await run("readwrite", (s) => s.add({ userId, input }) as IDBRequest<IDBValidKey>);
  writes += 1;
  set([...entries, { seq: Number(seq), userId, input }]);
  tellOtherTabs();
}

export async function removeEdit(seq: number): Promise<void> {
  await run("readwrite", (s) => s.delete(seq));
  writes += 1;
  set(entries.filter((e) => e.seq !== seq));
  tellOtherTabs();
}

export function queuedEdits(): QueuedEdit[] {
  return entries;
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The queued edits, oldest first (none on the server render). */
export function useQueuedEdits(): QueuedEdit[] {
  return useSyncExternalStore(subscribe, queuedEdits, () => EMPTY);
}
