import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
// Types only: nothing of the server reaches the browser's bundle through this import.
import type { AppRouter } from "~/server/api/root";

/** What each procedure takes, e.g. `RouterInputs["bookmarks"]["list"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** What each procedure answers, e.g. `RouterOutputs["sync"]["status"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
