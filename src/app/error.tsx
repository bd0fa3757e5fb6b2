"use client";

/** The page's words when it could not be built (e.g. the database stopped answering mid-request), kept together for the i18n catalogue. */
const ERROR_TEXT = {
  title: "This page could not be loaded",
  body: "Something on our side is not answering right now. Your bookmarks are safe. Try again in a moment.",
  retry: "Try again",
};

/** Never a blank page: what went wrong, in words, and a way to try again. */
export default function PageError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-xl font-semibold">{ERROR_TEXT.title}</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">{ERROR_TEXT.body}</p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-lg bg-zinc-900 px-4 py-2 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        {ERROR_TEXT.retry}
      </button>
    </main>
  );
}
