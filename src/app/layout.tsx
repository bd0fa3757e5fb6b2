import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "~/trpc/react";
import { TimeZoneSync } from "./_components/time-zone-sync";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return {
    title: { default: "X Bookmarker", template: "%s · X Bookmarker" },
    description: t("description"),
  };
}

export const viewport: Viewport = { themeColor: "#0f172a" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, even the not-found page: its scripts need that request's
  // CSP nonce (src/proxy.ts), which a page prerendered at build time cannot carry.
  await connection();
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans">
        {/* Locale, messages, time zone and "now" come from src/i18n/request.ts. */}
        <NextIntlClientProvider>
          <TimeZoneSync />
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
