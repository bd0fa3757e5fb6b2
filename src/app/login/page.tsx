import { redirect } from "next/navigation";
import { safeLocalPath } from "~/lib/safe-path";
import { getAppSession } from "~/server/auth";
import { xConfig } from "~/server/x/config";
import { LoginButton } from "./login-button";

export const dynamic = "force-dynamic";

// next-auth's error codes, in words.
const ERRORS: Record<string, string> = {
  OAuthCallback: "X did not complete the login. If you pressed Cancel, that's fine: try again when ready.",
  Callback: "X did not complete the login. If you pressed Cancel, that's fine: try again when ready.",
  access_denied: "You cancelled the login on X.",
  OAuthSignin: "Could not start the login with X. Is X (or the local sandbox) reachable?",
  OAuthAccountNotLinked: "This X account is linked to another user.",
  SessionRequired: "Please log in to continue.",
  TooManyAttempts: "Too many log-in attempts from your network. Wait a few minutes, then try again.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const session = await getAppSession();
  const { error, callbackUrl } = await searchParams;
  const safeCallback = safeLocalPath(callbackUrl);
  if (session) redirect(safeCallback);
  const message = error ? (ERRORS[error] ?? "The login did not work. Please try again.") : null;

  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <div className="rounded-2xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mb-6 flex items-center gap-3">
          <span aria-hidden className="grid size-10 place-items-center rounded-xl bg-zinc-900 text-lg font-bold text-white dark:bg-white dark:text-zinc-900">
            𝕏
          </span>
          <div>
            <h1 className="text-xl font-semibold">X Bookmarker</h1>
            <p className="text-sm text-zinc-500">Your X bookmarks, in your own library.</p>
          </div>
        </div>
        {message && (
          <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            {message}
          </p>
        )}
        <LoginButton callbackUrl={safeCallback} />
        <p className="mt-4 text-xs text-zinc-500">
          We ask X for read access to your posts, profile and bookmarks, and for offline access so syncs keep working.
          {xConfig.sandbox && " This server uses the local X sandbox: pick a test account on the next page."}
        </p>
      </div>
    </main>
  );
}
