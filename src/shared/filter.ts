import { z } from "zod";
import { serialId } from "./ids";

/**
 * What a library view asks for: the search box's text (with its query language, see
 * src/lib/search-query.ts) and the filter controls, combined with AND. Shared by the list, the
 * count and the export, so all three always agree on what "the current filter" is.
 */
export const sortOrders = ["newest", "oldest", "relevance"] as const;
export type SortOrder = (typeof sortOrders)[number];

const validDate = z.date({ error: "Pick a valid date." }).refine((d) => !Number.isNaN(d.getTime()), "Pick a valid date.");

export const libraryFilter = z
  .object({
    q: z.string().max(500, "Searches can be at most 500 characters.").default(""),
    tagIds: z.array(serialId).max(50, "Pick at most 50 tags.").default([]),
    /** any: bookmarks with at least one of the tags; all: with every one of them. */
    tagMode: z.enum(["any", "all"]).default("any"),
    /** A category id, or null for "no category". */
    categoryId: serialId.nullable().optional(),
    /** An author's @handle (with or without the @). */
    author: z
      .string()
      .trim()
      .transform((s) => s.replace(/^@/, "").toLowerCase())
      .pipe(z.string().regex(/^\w{1,50}$/, "An author is an X handle like @jack."))
      .optional(),
    /** Posted on or after this instant. */
    postedFrom: validDate.optional(),
    /** Posted before this instant. */
    postedTo: validDate.optional(),
    hasMedia: z.boolean().optional(),
    lang: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, "A language is a code like ja or en.")
      .optional(),
    favorite: z.boolean().optional(),
    /** true: only bookmarks X no longer returns; false: only those it does. */
    removedOnX: z.boolean().optional(),
    /** The post was deleted on X (kept here with its archived media). */
    deletedOnX: z.boolean().optional(),
    /** One of the person's X bookmark folders (BookmarkFolder id). */
    folderId: z
      .string()
      .regex(/^[\w-]{1,40}$/, "Pick a folder from the list.")
      .optional(),
    sort: z.enum(sortOrders).default("newest"),
  })
  .refine((f) => !f.postedFrom || !f.postedTo || f.postedFrom < f.postedTo, {
    message: "The start date must be before the end date.",
    path: ["postedTo"],
  });

export type LibraryFilter = z.infer<typeof libraryFilter>;
export type LibraryFilterInput = z.input<typeof libraryFilter>;

/**
 * A filter in a URL (the export link, a shareable view): one `filter` parameter holding JSON,
 * dates as ISO strings. `filterFromSearchParams` validates it like any other input.
 */
export function filterToSearchParams(f: LibraryFilterInput): URLSearchParams {
  return new URLSearchParams({ filter: JSON.stringify(f) });
}

export function filterFromSearchParams(params: URLSearchParams): ReturnType<typeof libraryFilter.safeParse> {
  let raw: unknown = {};
  try {
    raw = JSON.parse(params.get("filter") ?? "{}");
  } catch {
    raw = null; // fails validation below with a clear message
  }
  if (raw && typeof raw === "object") {
    const o = raw as Record<string, unknown>;
    for (const k of ["postedFrom", "postedTo"] as const) if (typeof o[k] === "string") o[k] = new Date(o[k]);
  }
  return libraryFilter.safeParse(raw);
}
