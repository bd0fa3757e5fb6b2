import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

type Page = "queues" | "jobs" | "job" | "users" | "workers" | "limits" | "health" | "audit";

/** "Queues · Admin" in the reader's language (the root layout appends " · X Bookmarker"). */
export async function adminMetadata(page: Page): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: `${t(page)} · ${t("admin")}` };
}
