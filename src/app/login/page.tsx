import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { safeLocalPath } from "~/lib/safe-path";
import { getAppSession } from "~/server/auth";
import { xConfig } from "~/server/x/config";
import { LoginButton } from "./login-button";
import { LocaleSwitcher } from "../_components/locale-switcher";

export const dynamic = "force-dynamic";

// next-auth's error codes → message keys (login.errors.*).
const ERRORS: Record<string, "callback" | "accessDenied" | "signin" | "notLinked" | "sessionRequired" | "tooManyAttempts"> = {
  OAuthCallback: "callback",
  Callback: "callback",
  access_denied: "accessDenied",
  OAuthSignin: "signin",
  OAuthAccountNotLinked: "notLinked",
  SessionRequired: "sessionRequired",
  TooManyAttempts: "tooManyAttempts",
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("login"))("title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const session = await getAppSession();
  const { error, callbackUrl } = await searchParams;
  const safeCallback = safeLocalPath(callbackUrl);
  if (session) redirect(safeCallback);
  const t = await getTranslations("login");
  const message = error ? t(`errors.${ERRORS[error] ?? "other"}`) : null;

  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <div className="rounded-2xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mb-6 flex items-center gap-3">
          <span
            aria-hidden
            className="grid size-10 place-items-center rounded-xl bg-zinc-900 text-lg font-bold text-white dark:bg-white dark:text-zinc-900"
          >
            𝕏
          </span>
          <div>
            <h1 className="text-xl font-semibold">X Bookmarker</h1>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("tagline")}</p>
          </div>
        </div>
        {message && (
          <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            {message}
          </p>
        )}
        <LoginButton callbackUrl={safeCallback} />
        <p className="mt-4 text-xs text-zinc-600 dark:text-zinc-400">
          {t("scopes")}
          {xConfig.sandbox && ` ${t("sandbox")}`}
        </p>
      </div>
      <div className="mt-4 flex justify-end">
        <LocaleSwitcher />
      </div>
    </main>
  );
}
