import type { MetadataRoute } from "next";

/** The web app manifest: the library can be installed on a phone's home screen (issue 16). */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "X Bookmarker",
    short_name: "Bookmarker",
    description: "Your X bookmarks, in your own database: synced, searchable, yours.",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#0f172a",
    theme_color: "#0f172a",
    icons: [
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
