import type { BookmarkView } from "./list";

/** Fields of a bookmark an edit can clash on (tags always merge). */
export type ConflictField = "note" | "favorite" | "categoryId";

/**
 * The cause of a CONFLICT answer to `bookmarks.update`: the bookmark changed since the version the
 * edit was based on, in a field the edit changes too, to something else. Carries the current
 * state for the client (the error formatter puts it in the error's `data.conflict`).
 */
export class EditConflictError extends Error {
  constructor(
    readonly current: BookmarkView,
    readonly fields: ConflictField[],
  ) {
    super(`bookmark ${current.id} was changed elsewhere (${fields.join(", ")})`);
    this.name = "EditConflictError";
  }
}
