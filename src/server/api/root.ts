import { bookmarksRouter } from "./routers/bookmarks";
import { syncRouter } from "./routers/sync";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  sync: syncRouter,
  bookmarks: bookmarksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
