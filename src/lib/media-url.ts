/** The app's URL of an archived media file (served by src/app/api/media/[hash]/route.ts). */
export function mediaPath(sha256: string): string {
  return `/api/media/${sha256}`;
}

/** Whether a URL is one of the app's archived files (cards play archived videos inline). */
export function isArchivedUrl(url: string | null): boolean {
  return !!url && url.startsWith("/api/media/");
}
