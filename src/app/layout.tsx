import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "X Bookmarker",
  description: "Your X bookmarks, in your own database: synced, searchable, yours.",
};

export const viewport: Viewport = { themeColor: "#0f172a" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, even the not-found page: its scripts need that request's
  // CSP nonce (src/proxy.ts), which a page prerendered at build time cannot carry.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
