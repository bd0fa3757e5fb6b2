import { adminRouter } from "./routers/admin";
import { bookmarksRouter } from "./routers/bookmarks";
import { categoriesRouter } from "./routers/categories";
import { foldersRouter } from "./routers/folders";
import { importsRouter } from "./routers/imports";
import { libraryRouter } from "./routers/library";
import { mediaRouter } from "./routers/media";
import { syncRouter } from "./routers/sync";
import { tagsRouter } from "./routers/tags";
import { xDrainRouter } from "./routers/x-drain";
import { xWritesRouter } from "./routers/x-writes";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  sync: syncRouter,
  bookmarks: bookmarksRouter,
  tags: tagsRouter,
  categories: categoriesRouter,
  library: libraryRouter,
  media: mediaRouter,
  imports: importsRouter,
  admin: adminRouter,
  folders: foldersRouter,
  xWrites: xWritesRouter,
  xDrain: xDrainRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
