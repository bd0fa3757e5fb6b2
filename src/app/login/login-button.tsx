"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";

export function LoginButton({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("login");
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("twitter", { callbackUrl });
      }}
      className="flex w-full items-center justify-center gap-2 rounded-full bg-zinc-900 px-5 py-3 font-semibold text-white hover:bg-zinc-700 disabled:opacity-60 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
    >
      {busy ? t("opening") : t("button")}
    </button>
  );
}
