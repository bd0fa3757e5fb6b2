"use client";

import { createContext, useContext } from "react";
import type { Conflict } from "./edit-changes";

/** Opens the conflict dialog (BookmarkEditsProvider hosts it). */
export const ConflictContext = createContext<(c: Conflict) => void>(() => undefined);
export const useOpenConflict = () => useContext(ConflictContext);

/** Starts sending the offline queue (if online and not already at it). */
export const ReplayContext = createContext<() => void>(() => undefined);
export const useReplay = () => useContext(ReplayContext);
